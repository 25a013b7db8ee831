// `quiet`: SIGHUP, so the watcher stops reporting server errors.
import { runControl } from '../control-command.js';
import type { CliIO, CommandCall } from '../types.js';

// Run `quiet`.
export async function run(call: CommandCall, io: CliIO): Promise<number> {
  if (call.command !== 'quiet') return 2;
  return runControl(call.id, 'quiet', io);
}
