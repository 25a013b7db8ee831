// `kill`: fast eliminate (SIGUSR1) and wait for the watcher to finish.
import { runControl } from '../control-command.js';
import type { CliIO, CommandCall } from '../types.js';

// Run `kill`.
export async function run(call: CommandCall, io: CliIO): Promise<number> {
  if (call.command !== 'kill') return 2;
  return runControl(call.id, 'kill', io);
}
