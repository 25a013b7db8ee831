// `exec`: start an instance, run CMD with its environment, tear the instance down, exit with CMD's code.
import { startServer } from '../../index.js';
import { normalizeOptions } from '../../launcher/options.js';
import { instanceEnv } from '../format.js';
import { runChild } from '../run-child.js';
import type { CliIO, CommandCall } from '../types.js';
import { collectDeadInstances } from './up.js';

// Run `exec`: the instance is bound to this process by its lifeline, so even a SIGKILL here cleans up.
export async function run(call: CommandCall, io: CliIO): Promise<number> {
  if (call.command !== 'exec') return 2;
  await collectDeadInstances(normalizeOptions(call.options).stateRoot, io);
  const instance = await startServer(call.options);
  const outcome = await runChild(call.argv, { ...process.env, ...instanceEnv(instance.info) });
  if (outcome.problem) io.err(`quickdb-watcher: exec: ${outcome.problem}\n`);
  try {
    await instance.stop();
  } catch (error) {
    io.err(`quickdb-watcher: warning: ${(error as Error).message}; run \`quickdb-watcher gc\` to tidy up\n`);
  }
  return outcome.code;
}
