// `exec [driver] -- CMD`: start an instance (or several: `--and DRIVER …`), run CMD with their environment, tear them
// down, exit with CMD's code.
import { runsGivenArgv } from '../../api/engines.js';
import { UsageError } from '../../errors.js';
import { defineCommand, type Invocation, type ParseContext } from '../command.js';
import { AND, checkEnvClashes, type ExecCall } from '../exec-servers.js';
import { defineInstanceOptions, type InstanceArgs, toStartOptions } from '../instance-options.js';
import { collectDeadInstances } from './up.js';

export type { ExecCall };

type ExecArgs = InstanceArgs & { server?: string; 'env-prefix'?: string };

const PREFIX = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Split exec's argv: for the command driver the server comes from --server, and everything after -- is CMD.
async function toExecCall(a: ExecArgs, ctx: ParseContext): Promise<ExecCall> {
  const options = await toStartOptions({ ...a, '--': [] }, ctx.requester);
  const argv = (a['--'] ?? []).map(String);
  if (argv.length === 0) throw new UsageError('-- CMD', [], 'exec needs the command to run after "--"');
  if (runsGivenArgv(options.driver ?? '')) {
    if (!a.server)
      throw new UsageError('--server', a.server, 'exec with the command driver needs --server "SERVER ARGS"');
    options.args = ['sh', '-c', `exec ${a.server}`];
  } else if (a.server !== undefined) {
    throw new UsageError('--server', a.server, 'only the command driver takes --server');
  }
  const prefix = a['env-prefix'] ?? '';
  if (prefix !== '' && !PREFIX.test(prefix))
    throw new UsageError('--env-prefix', prefix, 'expected letters, digits and "_", e.g. SECOND_');
  // exec is the requester: bound to this process through the lifeline unless --parent says otherwise.
  if (a.parent === undefined) options.parent = process.pid;
  options.lifeline = true;
  return { command: 'exec', options, argv, prefix, more: [] };
}

// Add the servers of the `--and` groups to a parsed exec: each group parsed as an exec of its own (`parse` is the
// CLI's parser), and no two servers setting the same variables.
export async function attachServers(
  invocation: Invocation<ExecCall>,
  groups: string[][],
  parse: (argv: string[]) => Promise<unknown>,
): Promise<void> {
  const call = invocation.call;
  for (const group of groups) {
    const more = (await parse(['exec', ...group, '--', 'true'])) as ExecCall | null;
    if (!more)
      throw new UsageError(AND, group, 'expected a driver and its options, e.g. --and redis --port 6379');
    call.more.push({ options: more.options, prefix: more.prefix });
  }
  checkEnvClashes([{ options: call.options, prefix: call.prefix }, ...call.more]);
}

/** `exec`: the instances are bound to this process by their lifelines, so even a SIGKILL here cleans up. */
export const exec = defineCommand({
  command: 'exec [driver]',
  describe: "run CMD with the instance's environment, then tear the instance down; exits with CMD's code",
  builder: (y) =>
    defineInstanceOptions(y)
      .option('server', { type: 'string', describe: 'command driver: the server command line (run by sh)' })
      .option('env-prefix', {
        type: 'string',
        describe: "export this server's variables as PREFIX<NAME> (for a second server of the same kind)",
      })
      .option('and', {
        type: 'string',
        describe:
          'start one more server, its driver and options following: --and redis --port 6379 (repeatable)',
      })
      .example('$0 exec -- npm test', 'tests against a throwaway PostgreSQL (DATABASE_URL set)')
      .example('$0 exec --and redis -- npm test', 'PostgreSQL and Redis, both bound to npm test')
      .example('$0 exec command --server "redis-server --port 7001" --ready-port 7001 -- ./run.sh', ''),
  toCall: (a, ctx) => toExecCall(a as ExecArgs, ctx),
  handler: async (call, io) => {
    // The first server's options are checked once: that check chose the state root gc tidies and makes its start.
    const { checkStart } = await import('../../api/start.js');
    const first = checkStart(call.options);
    await collectDeadInstances(first.stateRoot, io);
    const { runServers } = await import('../exec-run.js');
    return runServers(call, first, io);
  },
});
