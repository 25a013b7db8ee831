// `up`: tidy dead instances, start a new one and print how to reach it.
import { startServer } from '../../index.js';
import { collectGarbage } from '../../launcher/gc.js';
import { normalizeOptions } from '../../launcher/options.js';
import { formatInstance } from '../format.js';
import type { CliIO, CommandCall } from '../types.js';

// Finish instances of this user whose watcher died (what `gc` does first), saying so on stderr.
export async function collectDeadInstances(stateRoot: string, io: CliIO): Promise<void> {
  for (const a of await collectGarbage(stateRoot, { quick: true })) {
    io.err(`quickdb-watcher: gc: ${a.id}: ${a.action}: ${a.detail}\n`);
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
