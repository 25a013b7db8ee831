// `stop`: SIGTERM (or SIGINT with --keep) and wait for the watcher to finish.
import { runControl } from '../control-command.js';
import type { CliIO, CommandCall } from '../types.js';

// Run `stop`.
export async function run(call: CommandCall, io: CliIO): Promise<number> {
  if (call.command !== 'stop') return 2;
  return runControl(call.id, call.keep ? 'keep' : 'stop', io);
}
