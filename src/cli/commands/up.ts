// `up [driver]`: tidy dead instances, start a new one and print how to reach it.
import type { StartOptions } from '../../index.js';
import { type CliIO, defineCommand } from '../command.js';
import { defineInstanceOptions, type InstanceArgs, toStartOptions } from '../instance-options.js';

export type UpFormat = 'text' | 'json' | 'env' | 'github-env';

export interface UpCall {
  command: 'up';
  options: StartOptions;
  format: UpFormat;
}

// Finish instances of this user whose watcher died (what `gc` does first). It is housekeeping the user did not
// ask about: silent, except one line when a dead instance needs a look (a refusal, a recovery that failed).
export async function collectDeadInstances(stateRoot: string, io: CliIO): Promise<void> {
  const { collectGarbage } = await import('../../api/gc.js');
  const actions = await collectGarbage({ stateRoot, quick: true });
  const attention = actions.filter((a) => a.action === 'skipped' || /refus|fail/.test(a.detail));
  if (attention.length > 0) {
    const ids = attention.map((a) => a.id).join(', ');
    io.err(
      `quickdb-watcher: note: dead instance(s) need a look: ${ids}; run \`quickdb-watcher gc\` for details\n`,
    );
  }
}

/** `up`: the instance outlives this process (it is bound to the requester, not to us). */
export const up = defineCommand({
  command: 'up [driver]',
  describe: 'start a throwaway server under a watcher and print how to connect',
  builder: (y) =>
    defineInstanceOptions(y)
      .option('format', {
        choices: ['text', 'json', 'env', 'github-env'] as const,
        describe: 'output (default: text; github-env: NAME=value lines for $GITHUB_ENV)',
      })
      .example('$0 up', 'a throwaway PostgreSQL, bound to this shell')
      .example('URL=$($0 up --format json | jq -r .url)', 'bound to this shell too, not to the $(…) subshell')
      .example('eval "$($0 up redis --format env)"', 'REDIS_URL and friends in a CI script')
      .example('$0 up command --ready-port 8080 -- python3 -m http.server 8080', 'any command as the server'),
  // The default parent is the shell that typed the command, past `$(…)` and pipeline subshells; refused (exit 2,
  // naming --parent $$ and exec) where it cannot be known, rather than a database that dies at once.
  toCall: async (a, ctx): Promise<UpCall> => ({
    command: 'up',
    options: await toStartOptions(
      a as InstanceArgs,
      // Loaded only when asked: `--parent` (as in CI scripts) needs no look at the process tree.
      ctx.requester ??
        (a.parent === undefined ? (await import('../../api/requester.js')).requireRequesterPid : undefined),
    ),
    format: a.format ?? 'text',
  }),
  handler: async (call, io) => {
    // The options are checked once: the same check chose the state root gc tidies and makes the start.
    const { checkStart } = await import('../../api/start.js');
    const checked = checkStart(call.options);
    await collectDeadInstances(checked.stateRoot, io);
    const { formatInstance } = await import('../format.js');
    const instance = await checked.start();
    // `--pool N`: fill it before this process exits (the instance outlives us; its pool would not be filled).
    await instance.settlePool();
    io.out(formatInstance(instance.info, call.format, instance.backendReason));
    return 0;
  },
});
