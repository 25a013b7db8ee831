// The CLI: parse argv into one command call, then load and run only that command's file.
import yargs from 'yargs';
import { getExitCode, QuickdbError, UsageError } from '../errors.js';
import { describeFatal, isTooManyOpenFiles } from './fatal.js';
import { defineAdminCommands } from './parse-admin.js';
import { defineInstanceCommands } from './parse-instance.js';
import type { CliIO, CommandCall } from './types.js';

export type { CliIO, CommandCall, GenerateCall, GenerateTarget, UpFormat } from './types.js';

const defaultIO: CliIO = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY),
};

const COMMANDS = 'up, exec, stop, kill, quiet, status, list, gc, snapshots or generate';

// Parse argv into the call a command receives; null when help or the version was printed instead.
export async function parseCli(
  argv: string[],
  requester?: () => number,
  print: (t: string) => void = defaultIO.out,
): Promise<CommandCall | null> {
  let call: CommandCall | null = null;
  const sink = (c: CommandCall): void => {
    call = c;
  };
  let parser = yargs(argv).scriptName('quickdb-watcher').parserConfiguration({ 'populate--': true });
  parser = defineInstanceCommands(parser, sink, requester);
  parser = defineAdminCommands(parser, sink);
  await parser
    .demandCommand(1, `name a command: ${COMMANDS}`)
    .recommendCommands()
    .strict()
    .help()
    .version()
    .wrap(Math.min(110, process.stdout.columns || 110))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      const unknown = message?.startsWith('Did you mean')
        ? `unknown command ${JSON.stringify(argv[0])}. `
        : '';
      throw UsageError.fromMessage(`${unknown}${message}`);
    })
    .parseAsync(argv, {}, (_err, _args, output) => {
      if (output) print(`${output}\n`);
    });
  return call;
}

// Print an error as the user should see it and return its exit code.
function reportError(error: unknown, io: CliIO): number {
  if (isTooManyOpenFiles(error)) {
    io.err(`quickdb-watcher: ${describeFatal(error)}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`quickdb-watcher: ${message}\n`);
  if (error instanceof UsageError) io.err('Run `quickdb-watcher --help` for the commands and options.\n');
  if (error instanceof QuickdbError && error.details) io.err(`${error.details}\n`);
  return getExitCode(error);
}

// The CLI's single entry: returns the exit code (the bin alone calls process.exit).
export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  try {
    const call: CommandCall | null = await parseCli(argv, undefined, io.out);
    if (!call) return 0;
    const mod: { run(call: CommandCall, io: CliIO): Promise<number> } = await import(
      `./commands/${call.command}.js`
    );
    return await mod.run(call, io);
  } catch (error) {
    return reportError(error, io);
  }
}
