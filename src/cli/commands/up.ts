// `up`: start an instance and print how to reach it.
import { startServer } from '../../index.js';
import { formatInstance } from '../format.js';
import type { CliIO, CommandCall } from '../main.js';

// Run `up`; the instance outlives this process (it is bound to the requester, not to us).
export async function run(call: CommandCall, io: CliIO): Promise<number> {
  if (call.command !== 'up') return 2;
  const instance = await startServer(call.options);
  io.out(formatInstance(instance.info, call.format, instance.backendReason));
  return 0;
}
