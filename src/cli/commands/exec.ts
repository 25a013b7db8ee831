// `exec [driver] -- CMD`: start an instance, run CMD with its environment, tear it down, exit with CMD's code.
import { UsageError } from '../../errors.js';
import type { StartOptions } from '../../launcher/options.js';
import { defineCommand, type ParseContext } from '../command.js';
import { defineInstanceOptions, type InstanceArgs, toStartOptions } from '../instance-options.js';
import { collectDeadInstances } from './up.js';

export interface ExecCall {
  command: 'exec';
  options: StartOptions;
  argv: string[];
}

// Split exec's argv: for the command driver the server comes from --server, and everything after -- is CMD.
async function toExecCall(a: InstanceArgs & { server?: string }, ctx: ParseContext): Promise<ExecCall> {
  const options = await toStartOptions({ ...a, '--': [] }, ctx.requester);
  const argv = (a['--'] ?? []).map(String);
  if (argv.length === 0) throw new UsageError('-- CMD', [], 'exec needs the command to run after "--"');
  if (options.driver === 'command') {
    if (!a.server)
      throw new UsageError('--server', a.server, 'exec with the command driver needs --server "SERVER ARGS"');
    options.args = ['sh', '-c', `exec ${a.server}`];
  } else if (a.server !== undefined) {
    throw new UsageError('--server', a.server, 'only the command driver takes --server');
  }
  // exec is the requester: bound to this process through the lifeline unless --parent says otherwise.
  if (a.parent === undefined) options.parent = process.pid;
  options.lifeline = true;
  return { command: 'exec', options, argv };
}

/** `exec`: the instance is bound to this process by its lifeline, so even a SIGKILL here cleans up. */
export const exec = defineCommand({
  command: 'exec [driver]',
  describe: "run CMD with the instance's environment, then tear the instance down; exits with CMD's code",
  builder: (y) =>
    defineInstanceOptions(y)
      .option('server', { type: 'string', describe: 'command driver: the server command line (run by sh)' })
      .example('$0 exec -- npm test', 'tests against a throwaway PostgreSQL (DATABASE_URL set)')
      .example('$0 exec command --server "redis-server --port 7001" --ready-port 7001 -- ./run.sh', ''),
  toCall: (a, ctx) => toExecCall(a as InstanceArgs & { server?: string }, ctx),
  handler: async (call, io) => {
    const { normalizeOptions } = await import('../../launcher/options.js');
    await collectDeadInstances(normalizeOptions(call.options).stateRoot, io);
    const { startServer } = await import('../../index.js');
    const { instanceEnv } = await import('../format.js');
    const { runChild } = await import('../run-child.js');
    const instance = await startServer(call.options);
    const outcome = await runChild(call.argv, { ...process.env, ...instanceEnv(instance.info) });
    if (outcome.problem) io.err(`quickdb-watcher: exec: ${outcome.problem}\n`);
    try {
      await instance.stop();
    } catch (error) {
      io.err(
        `quickdb-watcher: warning: ${(error as Error).message}; run \`quickdb-watcher gc\` to tidy up\n`,
      );
    }
    return outcome.code;
  },
});
