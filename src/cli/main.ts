// The CLI: parse argv into one command call, then load and run only that command's file.
import yargs, { type Argv } from 'yargs';
import { getExitCode, QuickdbError, UsageError } from '../errors.js';
import type { StartOptions } from '../launcher/options.js';
import { defineInstanceOptions, type InstanceArgs, toStartOptions } from './instance-options.js';

export type UpFormat = 'text' | 'json' | 'env';
export type CommandCall =
  | { command: 'up'; options: StartOptions; format: UpFormat }
  | { command: 'stop'; id: string; keep: boolean }
  | { command: 'kill'; id: string }
  | { command: 'quiet'; id: string }
  | { command: 'templates'; action: 'list' | 'clear'; json: boolean }
  | GenerateCall;

export type GenerateTarget = 'systemd' | 'systemd-run' | 'launchd';
export interface GenerateCall {
  command: 'generate';
  target: GenerateTarget;
  options: StartOptions;
  parentGiven: boolean;
  out?: string;
  templates?: string;
}

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}

const defaultIO: CliIO = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY),
};

function idCommand<T>(y: Argv<T>) {
  return y.positional('id', { type: 'string', demandOption: true, describe: 'instance id (see `list`)' });
}

// Parse argv into the call a command receives; null when help or the version was printed instead.
export async function parseCli(
  argv: string[],
  requester?: () => number,
  print: (t: string) => void = defaultIO.out,
): Promise<CommandCall | null> {
  let call: CommandCall | null = null;
  const parser = yargs(argv)
    .scriptName('quickdb-watcher')
    .parserConfiguration({ 'populate--': true })
    .command(
      'up [driver]',
      'start a throwaway server under a watcher and print how to connect',
      (y) =>
        defineInstanceOptions(y)
          .option('format', { choices: ['text', 'json', 'env'] as const, describe: 'output (default: text)' })
          .example(
            '$0 up command --ready-port 8080 -- python3 -m http.server 8080',
            'any command as the server',
          )
          .example('$0 up command --format json -- redis-server --port 0', 'JSON for scripts'),
      (a) => {
        call = {
          command: 'up',
          options: toStartOptions(a as InstanceArgs, requester),
          format: (a.format ?? 'text') as UpFormat,
        };
      },
    )
    .command(
      'stop <id>',
      'stop an instance (SIGTERM; SIGINT with --keep) and wait until its watcher is gone',
      (y) => idCommand(y).option('keep', { type: 'boolean', default: false, describe: 'keep the data dir' }),
      (a) => {
        call = { command: 'stop', id: String(a.id), keep: Boolean(a.keep) };
      },
    )
    .command('kill <id>', 'fast eliminate (SIGUSR1) and wait', idCommand, (a) => {
      call = { command: 'kill', id: String(a.id) };
    })
    .command('quiet <id>', "stop reporting the server's errors (SIGHUP)", idCommand, (a) => {
      call = { command: 'quiet', id: String(a.id) };
    })
    .command(
      'templates <action>',
      'list or remove the cached template data dirs that new instances are cloned from',
      (y) =>
        y
          .positional('action', { choices: ['list', 'clear'] as const, demandOption: true })
          .option('json', { type: 'boolean', default: false, describe: 'list as JSON' }),
      (a) => {
        call = { command: 'templates', action: a.action as 'list' | 'clear', json: Boolean(a.json) };
      },
    )
    .command(
      'generate <target> [driver]',
      'write the systemd unit, systemd-run script or launchd plist (plus its spec.json) for an instance',
      (y) =>
        defineInstanceOptions(y)
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
      (a) => {
        call = {
          command: 'generate',
          target: a.target as GenerateTarget,
          options: toStartOptions(a as InstanceArgs, requester),
          parentGiven: a.parent !== undefined,
          ...(a.out !== undefined ? { out: String(a.out) } : {}),
          ...(a.templates !== undefined ? { templates: String(a.templates) } : {}),
        };
      },
    )
    .demandCommand(1, 'name a command: up, stop, kill, quiet, templates or generate')
    .recommendCommands()
    .strict()
    .help()
    .version()
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      throw UsageError.fromMessage(message);
    });
  const help = await parser.parseAsync(argv, {}, (_err, _args, output) => {
    if (output) print(`${output}\n`);
  });
  void help;
  return call;
}

// Print an error as the user should see it and return its exit code.
function reportError(error: unknown, io: CliIO): number {
  const message = error instanceof Error ? error.message : String(error);
  io.err(`quickdb-watcher: ${message}\n`);
  if (error instanceof UsageError) io.err('Run `quickdb-watcher --help` for the commands and options.\n');
  if (error instanceof QuickdbError && error.details) io.err(`${error.details}\n`);
  return getExitCode(error);
}

// The CLI's single entry: returns the exit code (the bin alone calls process.exit).
export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  try {
    const call = await parseCli(argv, undefined, io.out);
    if (!call) return 0;
    const command = (call as CommandCall).command;
    const mod: { run(call: CommandCall, io: CliIO): Promise<number> } = await import(
      `./commands/${command}.js`
    );
    return await mod.run(call, io);
  } catch (error) {
    return reportError(error, io);
  }
}
