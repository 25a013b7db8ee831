// Our words for what the parser refuses: unknown commands, options and drivers with a "did you mean", missing
// arguments by name, bad choices with what is allowed. yargs' stock sentences never reach the user.

import { validateDriverName } from '../api/names.js';
import { UsageError } from '../errors.js';
import { describeUnknown, joinChoices, suggestClosest } from '../suggest.js';

/** What the parser knew when it failed: the command it was in (if any) and that command's options. */
export interface FailContext {
  argv: readonly string[];
  /** Every command name, for "did you mean" on a mistyped one. */
  commands: readonly string[];
  /** The command being parsed and its usage (`stop <id>`); undefined before a command was recognised. */
  command?: string | undefined;
  usage?: string | undefined;
  /** The option keys the command knows, its boolean ones, and the choices of options and positionals. */
  options: readonly string[];
  booleans: readonly string[];
  choices: Readonly<Record<string, readonly string[]>>;
}

/** How each required positional is asked for when it is missing. */
const WANTED: Record<string, string> = {
  id: 'an instance ID; `quickdb-watcher list` shows them',
};

// A UsageError in our own sentence, still naming the option and the value for code that reads them.
function wordUsage(option: string, value: unknown, message: string): UsageError {
  return UsageError.fromMessage(message, option, value);
}

// "a target", "an action", "an instance ID".
function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

// The positional names in a command's usage string, required ones (`<id>`) flagged.
function readPositionals(usage: string | undefined): { name: string; required: boolean }[] {
  const words = (usage ?? '').split(/\s+/).slice(1);
  return words.map((w) => ({ name: w.replace(/[<>[\].]/g, ''), required: w.startsWith('<') }));
}

// "; did you mean X?" when a known word is close to the given one, else ''.
function offerClosest(given: string, known: readonly string[], prefix = ''): string {
  const closest = suggestClosest(given, known);
  return closest === undefined ? '' : `; did you mean ${prefix}${closest}?`;
}

// The first argv word that is not an option: the command the user meant.
function findCommandWord(argv: readonly string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-'));
}

// A command name that is not one of ours.
function describeUnknownCommand(word: string, ctx: FailContext): UsageError {
  return wordUsage('COMMAND', word, describeUnknown('command', word, ctx.commands));
}

// An argument yargs did not know: an option (suggest the closest known one) or a positional too many.
function describeUnknownArgument(name: string, ctx: FailContext): UsageError {
  const bare = (a: string): string => (a.replace(/^-+/, '').split('=')[0] as string).replace(/^no-/, '');
  const token = ctx.argv.find((a) => a.startsWith('-') && bare(a) === name.replace(/^no-/, ''));
  if (token === undefined) {
    if (ctx.command === undefined) return describeUnknownCommand(name, ctx);
    const usage = `quickdb-watcher ${ctx.usage ?? ctx.command}`;
    return wordUsage(name, name, `unexpected argument ${JSON.stringify(name)}; usage: ${usage}`);
  }
  const flag = token.split('=')[0] as string;
  const positionals = new Set(readPositionals(ctx.usage).map((p) => p.name));
  const known = ctx.options.filter((o) => !positionals.has(o));
  const negated = ctx.booleans.filter((b) => known.includes(b)).map((b) => `no-${b}`);
  const dashes = flag.startsWith('--') ? flag.slice(2) : flag.slice(1);
  const where = ctx.command ? `\`quickdb-watcher ${ctx.command} --help\`` : '`quickdb-watcher --help`';
  const hint = offerClosest(dashes, [...known, ...negated], '--') || `; ${where} lists the options`;
  return wordUsage(flag, token, `unknown option ${flag}${hint}`);
}

// A required positional that was not given: say which, and what it takes.
function describeMissingPositional(got: number, ctx: FailContext): UsageError {
  const required = readPositionals(ctx.usage).filter((p) => p.required);
  const missing = required[got] ?? required.at(-1);
  const name = missing?.name ?? 'argument';
  const choices = ctx.choices[name];
  const wanted =
    WANTED[name] ??
    (choices ? `${withArticle(name)}: ${joinChoices(choices)}` : withArticle(name.toUpperCase()));
  return wordUsage(name.toUpperCase(), undefined, `${ctx.command ?? 'the command'} needs ${wanted}`);
}

// A value outside an option's (or positional's) choices, with the closest allowed one.
function describeBadChoice(name: string, givenText: string, ctx: FailContext): UsageError {
  const choices = ctx.choices[name] ?? [];
  const positional = readPositionals(ctx.usage).some((p) => p.name === name);
  const label = positional ? name.toUpperCase() : `--${name}`;
  let given: unknown = givenText;
  try {
    given = JSON.parse(givenText);
  } catch {}
  if (typeof given !== 'string' || given === '') {
    return wordUsage(label, undefined, `${label} needs a value: ${joinChoices(choices)}`);
  }
  const closest = offerClosest(given, choices);
  return wordUsage(
    label,
    given,
    `${label}: ${JSON.stringify(given)} is not valid: expected ${joinChoices(choices)}${closest}`,
  );
}

/** Turn the parser's stock message into ours (exit 2); a message already in our words is kept. */
export function describeParseFailure(message: string, ctx: FailContext): UsageError {
  const word = findCommandWord(ctx.argv);
  if (ctx.command === undefined && word !== undefined && !ctx.commands.includes(word)) {
    return describeUnknownCommand(word, ctx);
  }
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown) return describeUnknownArgument((unknown[1] as string).split(', ')[0] as string, ctx);
  const notEnough = /^Not enough non-option arguments: got (\d+)/.exec(message);
  if (notEnough) return describeMissingPositional(Number(notEnough[1]), ctx);
  const choice = /Argument: (\S+), Given: (.*), Choices: /.exec(message);
  if (choice) return describeBadChoice(choice[1] as string, choice[2] as string, ctx);
  const missing = /^Missing required arguments?: (\S+?)(,|$)/.exec(message);
  if (missing) return wordUsage(`--${missing[1]}`, undefined, `--${missing[1]} is missing`);
  return UsageError.fromMessage(message);
}

/** Refuse a driver we do not have, naming the closest one and all of them. */
export function checkDriverName(driver: unknown): void {
  if (driver === undefined) return;
  try {
    validateDriverName(driver);
  } catch (error) {
    throw error instanceof UsageError ? wordUsage('DRIVER', driver, error.message) : error;
  }
}
