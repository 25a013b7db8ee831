// The CLI: the table of subcommands, parsing argv into one command's call, and running that command's handler.
import { UsageError } from '../errors.js';
import type { CliCommand, CliIO, Invocation } from './command.js';
import { db } from './commands/db.js';
import { env } from './commands/env.js';
import { exec } from './commands/exec.js';
import { gc } from './commands/gc.js';
import { generate } from './commands/generate.js';
import { kill } from './commands/kill.js';
import { list } from './commands/list.js';
import { quiet } from './commands/quiet.js';
import { snapshots } from './commands/snapshots.js';
import { status } from './commands/status.js';
import { stop } from './commands/stop.js';
import { up } from './commands/up.js';
import { defaultIO, reportError } from './report.js';
import { runSimple } from './simple.js';
import { readOwnVersion } from './version.js';

/** Every subcommand, in the order `--help` lists them. */
const COMMANDS = [up, exec, generate, stop, kill, quiet, status, list, env, gc, snapshots, db] as const;

type CallOf<T> = T extends CliCommand<infer C> ? C : never;

/** What a command receives from the parser: one shape per subcommand, told apart by `command`. */
export type CommandCall = CallOf<(typeof COMMANDS)[number]>;

const COMMAND_NAMES = 'up, exec, stop, kill, quiet, status, list, env, gc, snapshots, db or generate';

// Parse argv into the invocation of one command; null when help or the version was printed instead.
async function parseInvocation(
  argv: string[],
  requester: (() => number) | undefined,
  print: (t: string) => void,
): Promise<Invocation<CommandCall> | null> {
  const matched: { finish?: () => Promise<Invocation<CommandCall>> } = {};
  const ctx = { requester };
  // Loaded here: the fast path (simple.ts) and the bin's start need no parser.
  const { default: yargs } = await import('yargs');
  let parser = yargs(argv).scriptName('quickdb-watcher').parserConfiguration({ 'populate--': true });
  for (const command of COMMANDS as readonly CliCommand<CommandCall>[]) {
    parser = parser.command(
      command.toModule(ctx, (finish) => {
        matched.finish = finish;
      }),
    );
  }
  await parser
    .demandCommand(1, `name a command: ${COMMAND_NAMES}`)
    .recommendCommands()
    .strict()
    .help()
    .version(readOwnVersion())
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
  return matched.finish ? matched.finish() : null;
}

// Parse argv into the call a command receives (its checked options); null when help or the version was printed.
export async function parseCli(
  argv: string[],
  requester?: () => number,
  print: (t: string) => void = defaultIO.out,
): Promise<CommandCall | null> {
  return (await parseInvocation(argv, requester, print))?.call ?? null;
}

// The CLI's single entry: returns the exit code (the bin alone calls process.exit).
export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  const simple = await runSimple(argv, io);
  if (simple !== null) return simple;
  try {
    const invocation = await parseInvocation(argv, undefined, io.out);
    return invocation ? await invocation.run(io) : 0;
  } catch (error) {
    return reportError(error, io);
  }
}
