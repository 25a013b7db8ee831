// `gc [--dry-run]`: clean up after instances whose watcher is gone, and say what was done.
import { collectGarbage } from '../../launcher/gc.js';
import { resolveStateRoot } from '../../state/paths.js';
import type { CliIO, CommandCall } from '../types.js';

// Run `gc`.
export async function run(call: CommandCall, io: CliIO): Promise<number> {
  if (call.command !== 'gc') return 2;
  const actions = await collectGarbage(resolveStateRoot(), { dryRun: call.dryRun });
  const prefix = call.dryRun ? 'would be ' : '';
  for (const a of actions) io.out(`${a.id}: ${prefix}${a.action}: ${a.detail}\n`);
  if (actions.length === 0) io.out('nothing to clean up\n');
  return 0;
}
