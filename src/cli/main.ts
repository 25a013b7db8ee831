// The CLI: the table of subcommands, parsing argv into one command's call, and running that command's handler.
import type { Argv } from 'yargs';
import { resolveStateRoot } from '../api/roots.js';
import { joinChoices } from '../suggest.js';
import type { CliCommand, CliIO, Invocation } from './command.js';
import { completion } from './commands/completion.js';
import { db } from './commands/db.js';
import { env } from './commands/env.js';
import { attachServers, type ExecCall, exec } from './commands/exec.js';
import { gc } from './commands/gc.js';
import { generate } from './commands/generate.js';
import { kill } from './commands/kill.js';
import { list } from './commands/list.js';
import { quiet } from './commands/quiet.js';
import { rm } from './commands/rm.js';
import { snapshots } from './commands/snapshots.js';
import { status } from './commands/status.js';
import { stop } from './commands/stop.js';
import { up } from './commands/up.js';
import { completeWords, dropProgramName, type OptionTable } from './completion.js';
import { splitServerGroups } from './exec-servers.js';
import { checkDriverName, describeParseFailure, type FailContext } from './messages.js';
import { defaultIO, reportError } from './report.js';
import { runSimple } from './simple.js';
import { readOwnVersion } from './version.js';

/** Every subcommand, in the order `--help` lists them. */
const COMMANDS = [
  up,
  exec,
  generate,
  stop,
  kill,
  quiet,
  rm,
  status,
  list,
  env,
  gc,
  snapshots,
  db,
  completion,
] as const;

type CallOf<T> = T extends CliCommand<infer C> ? C : never;

/** What a command receives from the parser: one shape per subcommand, told apart by `command`. */
export type CommandCall = CallOf<(typeof COMMANDS)[number]>;

// A command's name: the first word of its yargs command string.
function readCommandName(command: CliCommand<CommandCall>): string {
  return String(command.toModule({}, () => {}).command).split(' ')[0] as string;
}

/** The command names, in table order. */
const COMMAND_NAMES = (COMMANDS as readonly CliCommand<CommandCall>[]).map(readCommandName);

/** The parts of a yargs instance its typings leave out: its options, and the commands being parsed. */
interface ParserState {
  getOptions(): {
    key: Record<string, unknown>;
    boolean: string[];
    choices: Record<string, string[]>;
    hiddenOptions: string[];
  };
  getInternalMethods(): {
    getContext(): { commands: string[]; fullCommands: string[] };
    getUsageInstance(): { cacheHelpMessage(): void };
  };
}

// yargs renders the whole help text after every command's handler, kept for a help shown on a later failure: ~85 ms
// of CPU (cliui, string-width) on every run. Our fail() never shows help, so that rendering is skipped.
function skipHelpCache(parser: Argv): void {
  (parser as unknown as ParserState).getInternalMethods().getUsageInstance().cacheHelpMessage = () => {};
}

// What the parser knew when it failed, for the message in our words.
function readFailContext(parser: Argv, argv: string[]): FailContext {
  const state = parser as unknown as ParserState;
  const options = state.getOptions();
  const context = state.getInternalMethods().getContext();
  return {
    argv,
    commands: COMMAND_NAMES,
    command: context.commands.at(-1),
    usage: context.fullCommands.at(-1),
    options: Object.keys(options.key),
    booleans: options.boolean,
    choices: options.choices,
  };
}

// The options a command declares (its builder run on a bare parser), for completion; the top level has two.
async function readCommandOptions(name: string | undefined): Promise<OptionTable> {
  const command = (COMMANDS as readonly CliCommand<CommandCall>[]).find((c) => readCommandName(c) === name);
  if (!command) return { options: ['help', 'version'], booleans: ['help', 'version'], choices: {} };
  const { default: yargs } = await import('yargs');
  const module = command.toModule({}, () => {});
  const parser = yargs([]);
  if (typeof module.builder === 'function') module.builder(parser);
  const options = (parser as unknown as ParserState).getOptions();
  const positionals = String(module.command)
    .split(' ')
    .slice(1)
    .map((w) => w.replace(/[<>[\].]/g, ''));
  const hidden = [...options.hiddenOptions, ...positionals];
  const keys = ['help', ...Object.keys(options.key).filter((k) => !hidden.includes(k))];
  return { options: keys, booleans: ['help', ...options.boolean], choices: options.choices };
}

// The words a shell should offer for `--get-yargs-completions WORDS` (what the completion script asks).
async function offerCompletions(argv: string[]): Promise<string[]> {
  const { listDriverNames } = await import('../api/names.js');
  const words = dropProgramName(argv.slice(1), COMMAND_NAMES);
  const known = { commands: COMMAND_NAMES, drivers: listDriverNames(), readOptions: readCommandOptions };
  return completeWords(words, known, resolveStateRoot());
}

// Parse argv into the invocation of one command; null when help, the version or completions were printed instead.
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
  skipHelpCache(parser);
  await parser
    .demandCommand(1, `name a command: ${joinChoices(COMMAND_NAMES)}`)
    .strict()
    .locale('en')
    .middleware((args) => checkDriverName(args.driver)) // the registry only: no driver is loaded
    .help()
    .version(readOwnVersion())
    .wrap(Math.min(110, process.stdout.columns || 110))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      throw describeParseFailure(message ?? '', readFailContext(parser, argv));
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
  return (await parseWithServers(argv, print, requester))?.call ?? null;
}

// Parse argv, splitting exec's `--and` groups first: each is parsed as an exec of its own and attached to the call.
async function parseWithServers(
  argv: string[],
  print: (t: string) => void,
  requester?: () => number,
): Promise<Invocation<CommandCall> | null> {
  if (argv[0] !== 'exec') return parseInvocation(argv, requester, print);
  const { first, more } = splitServerGroups(argv.slice(1));
  const invocation = await parseInvocation(['exec', ...first], requester, print);
  if (invocation?.call.command === 'exec' && more.length > 0)
    await attachServers(
      invocation as Invocation<ExecCall>,
      more,
      async (group) => (await parseInvocation(group, requester, print))?.call ?? null,
    );
  return invocation;
}

// The CLI's single entry: returns the exit code (the bin alone calls process.exit).
export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  return (await runSimple(argv, io)) ?? runParsed(argv, io);
}

// Run argv through the full parser, past the fast path (the bin's way when the fast path declined; tests run
// both ways on the same command lines).
export async function runParsed(argv: string[], io: CliIO = defaultIO): Promise<number> {
  // A shell asking what to offer (each TAB): commands, drivers and ids are answered without loading the parser.
  if (argv[0] === '--get-yargs-completions') {
    io.out((await offerCompletions(argv)).map((o) => `${o}\n`).join(''));
    return 0;
  }
  try {
    const invocation = await parseWithServers(argv, io.out);
    return invocation ? await invocation.run(io) : 0;
  } catch (error) {
    return reportError(error, io);
  }
}
