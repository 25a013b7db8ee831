// `up`: tidy dead instances, start a new one and print how to reach it.
import { startServer } from '../../index.js';
import { collectGarbage } from '../../launcher/gc.js';
import { normalizeOptions } from '../../launcher/options.js';
import { formatInstance } from '../format.js';
import type { CliIO, CommandCall } from '../types.js';

// Finish instances of this user whose watcher died (what `gc` does first). It is housekeeping the user did not
// ask about: silent, except one line when a dead instance needs a look (a refusal, a recovery that failed).
export async function collectDeadInstances(stateRoot: string, io: CliIO): Promise<void> {
  const actions = await collectGarbage(stateRoot, { quick: true });
  const attention = actions.filter((a) => a.action === 'skipped' || /refus|fail/.test(a.detail));
  if (attention.length > 0) {
    const ids = attention.map((a) => a.id).join(', ');
    io.err(
      `quickdb-watcher: note: dead instance(s) need a look: ${ids}; run \`quickdb-watcher gc\` for details\n`,
    );
  }
}

// Run `up`; the instance outlives this process (it is bound to the requester, not to us).
export async function run(call: CommandCall, io: CliIO): Promise<number> {
  if (call.command !== 'up') return 2;
  await collectDeadInstances(normalizeOptions(call.options).stateRoot, io);
  const instance = await startServer(call.options);
  io.out(formatInstance(instance.info, call.format, instance.backendReason));
  return 0;
}
