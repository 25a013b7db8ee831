// The fast path's `up`: the common command lines (`up [driver] [--parent P] [--format F] ...`) read without yargs
// into the very arguments yargs would hand up's toCall. Anything else (another flag, a repeat, an odd value, help)
// returns null and goes to the full parser; test/cli/simple-up.test.ts runs both over many command lines.
import { runsGivenArgv } from '../api/engines.js';
import { BACKEND_CHOICES, listDriverNames } from '../api/names.js';
import type { CliIO } from './command.js';
import type { UpCall } from './commands/up.js';
import { reportError } from './report.js';

/** The arguments of `up` as the fast path read them (the keys and defaults yargs gives up's toCall). */
export type UpArgs = Record<string, string | boolean | undefined>;

/** `up`'s string options the fast path takes, each once: `--name value` or `--name=value`. */
const VALUE_OPTIONS = [
  'parent',
  'format',
  'id',
  'data-on',
  'data-dir',
  'backend',
  'port',
  'database',
  'user',
  'password',
  'auth',
  'pg-version',
  'pg-bin',
  'pool',
  'stop-grace',
  'fast-grace',
  'poll',
  'ready-timeout',
];

/** The booleans it takes, each once, in the one spelling that sets them. */
const FLAGS: Record<string, [key: string, value: boolean]> = {
  '--no-cleanup': ['cleanup', false],
  '--no-snapshot': ['snapshot', false],
  '--tls': ['tls', true],
};

/** Options whose values yargs checks against a list: any other value is left to yargs (and its message). */
const CHOICES: Record<string, readonly string[]> = {
  format: ['text', 'json', 'env', 'github-env'],
  backend: BACKEND_CHOICES,
};

/** A value yargs keeps as typed: not empty, no leading dash (a flag or a negative number), no whitespace. */
const PLAIN_VALUE = /^[^-\s]\S*$/;

// One `--name value` or `--name=value` at argv[i]: [name, value, words used], or null when it is not one we take.
function readValueOption(argv: string[], i: number): [string, string, number] | null {
  const word = argv[i] as string;
  if (!word.startsWith('--')) return null;
  const eq = word.indexOf('=');
  const name = word.slice(2, eq < 0 ? undefined : eq);
  const value = eq < 0 ? argv[i + 1] : word.slice(eq + 1);
  if (!VALUE_OPTIONS.includes(name) || value === undefined || !PLAIN_VALUE.test(value)) return null;
  if (CHOICES[name] && !CHOICES[name].includes(value)) return null;
  return [name, value, eq < 0 ? 2 : 1];
}

// Read `up`'s arguments (argv without `up`): the driver only first, then the options above, each at most once.
export function parseSimpleUp(argv: string[]): UpArgs | null {
  const args: UpArgs = { cleanup: true, backend: 'auto', snapshot: true };
  let i = 0;
  const first = argv[0];
  if (first !== undefined && !first.startsWith('-')) {
    // An engine that runs a given argv (`up command … -- cmd`) takes the grammar's `--`: yargs' to parse.
    if (!(listDriverNames() as string[]).includes(first) || runsGivenArgv(first)) return null;
    args.driver = first;
    i = 1;
  }
  const seen = new Set<string>();
  while (i < argv.length) {
    const flag = FLAGS[argv[i] as string];
    const option = flag ? null : readValueOption(argv, i);
    const [key, value, used] = flag ? [flag[0], flag[1], 1] : (option ?? []);
    if (key === undefined || seen.has(key)) return null;
    seen.add(key);
    args[key] = value;
    i += used as number;
  }
  return args;
}

// `up`'s call of the arguments the fast path read, made by up's own toCall (as yargs' handler makes it).
export async function makeSimpleUpCall(args: UpArgs, requester?: () => number): Promise<UpCall> {
  const { up } = await import('./commands/up.js');
  return up.toCall(args, { requester });
}

// Run `up`'s arguments by the fast path and return the exit code, or null when they are not one of its forms.
export async function runSimpleUp(argv: string[], io: CliIO): Promise<number | null> {
  const args = parseSimpleUp(argv);
  if (args === null) return null;
  try {
    const { up } = await import('./commands/up.js');
    return await up.run(await makeSimpleUpCall(args), io);
  } catch (error) {
    return reportError(error, io);
  }
}
