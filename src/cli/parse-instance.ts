// Parser entries for the commands that create an instance: up, exec and generate.
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { defineInstanceOptions, type InstanceArgs, toStartOptions } from './instance-options.js';
import type { CommandCall, GenerateTarget, UpFormat } from './types.js';

type Sink = (call: CommandCall) => void;

// Split exec's argv: for the command driver the server comes from --server, and everything after -- is CMD.
function toExecCall(a: InstanceArgs & { server?: string }, requester?: () => number): CommandCall {
  const options = toStartOptions({ ...a, '--': [] }, requester);
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

// Register up, exec and generate on the parser.
export function defineInstanceCommands<T>(y: Argv<T>, sink: Sink, requester?: () => number): Argv<T> {
  return y
    .command(
      'up [driver]',
      'start a throwaway server under a watcher and print how to connect',
      (c) =>
        defineInstanceOptions(c)
          .option('format', { choices: ['text', 'json', 'env'] as const, describe: 'output (default: text)' })
          .example('$0 up', 'a throwaway PostgreSQL, bound to this shell')
          .example('eval "$($0 up redis --format env)"', 'REDIS_URL and friends in a CI script')
          .example(
            '$0 up command --ready-port 8080 -- python3 -m http.server 8080',
            'any command as the server',
          ),
      (a) =>
        sink({
          command: 'up',
          options: toStartOptions(a as InstanceArgs, requester),
          format: (a.format ?? 'text') as UpFormat,
        }),
    )
    .command(
      'exec [driver]',
      "run CMD with the instance's environment, then tear the instance down; exits with CMD's code",
      (c) =>
        defineInstanceOptions(c)
          .option('server', {
            type: 'string',
            describe: 'command driver: the server command line (run by sh)',
          })
          .example('$0 exec -- npm test', 'tests against a throwaway PostgreSQL (DATABASE_URL set)')
          .example('$0 exec command --server "redis-server --port 7001" --ready-port 7001 -- ./run.sh', ''),
      (a) => sink(toExecCall(a as InstanceArgs & { server?: string }, requester)),
    )
    .command(
      'generate <target> [driver]',
      'write the systemd unit, systemd-run script or launchd plist (plus its spec.json) for an instance',
      (c) =>
        defineInstanceOptions(c)
          .positional('target', {
            choices: ['systemd', 'systemd-run', 'launchd'] as const,
            demandOption: true,
          })
          .option('out', {
            type: 'string',
            describe: 'write the files into DIR (default: print the definition)',
          })
          .option('templates', {
            type: 'string',
            describe: 'DIR of .ejs files overriding the built-in templates',
          })
          .example('$0 generate systemd command --out units -- redis-server --port 7000', 'a unit file'),
      (a) =>
        sink({
          command: 'generate',
          target: a.target as GenerateTarget,
          options: toStartOptions(a as InstanceArgs, requester),
          parentGiven: a.parent !== undefined,
          ...(a.out !== undefined ? { out: String(a.out) } : {}),
          ...(a.templates !== undefined ? { templates: String(a.templates) } : {}),
        }),
    );
}
