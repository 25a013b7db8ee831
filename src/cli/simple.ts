// The fast path: the few plain command lines (`--version`, `stop ID`, `list`, `up`'s common forms in simple-up.ts)
// run without loading yargs.
// It must make exactly the call yargs would; anything else (any other flag, --help, odd input) returns null and
// goes to the full parser in main.ts. test/cli/simple.test.ts runs both over many command lines to prove it.
import type { CliCommand, CliIO } from './command.js';
import type { EnvCall } from './commands/env.js';
import type { GcCall } from './commands/gc.js';
import type { KillCall } from './commands/kill.js';
import type { ListCall } from './commands/list.js';
import type { QuietCall } from './commands/quiet.js';
import type { StatusCall } from './commands/status.js';
import type { StopCall } from './commands/stop.js';
import { reportError } from './report.js';

/** A call the fast path can make without the parser. */
export type SimpleCall = StopCall | KillCall | QuietCall | EnvCall | StatusCall | ListCall | GcCall;

/** What the fast path made of argv: print the version, or run a call. */
export type SimpleParse = { version: true } | { call: SimpleCall };

/** An instance id as the fast path takes it: a plain word that no parser could read as anything else. */
const PLAIN_ID = /^[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/;

// Each fast command's module, loaded by a literal path (so madge and knip follow it).
const LOADERS: Record<SimpleCall['command'], () => Promise<CliCommand<SimpleCall>>> = {
  stop: async () => (await import('./commands/stop.js')).stop as CliCommand<SimpleCall>,
  kill: async () => (await import('./commands/kill.js')).kill as CliCommand<SimpleCall>,
  quiet: async () => (await import('./commands/quiet.js')).quiet as CliCommand<SimpleCall>,
  env: async () => (await import('./commands/env.js')).env as CliCommand<SimpleCall>,
  status: async () => (await import('./commands/status.js')).status as CliCommand<SimpleCall>,
  list: async () => (await import('./commands/list.js')).list as CliCommand<SimpleCall>,
  gc: async () => (await import('./commands/gc.js')).gc as CliCommand<SimpleCall>,
};

// The id in argv[i] when it is plain, else null (the parser decides what anything else means; `help` as a
// command's first positional is yargs' help command).
function readPlainId(argv: string[], i: number): string | null {
  const id = argv[i];
  return id !== undefined && id !== 'help' && PLAIN_ID.test(id) ? id : null;
}

// Read the plain forms: `--version`; `stop ID [--keep]`, `kill ID`, `quiet ID`, `env ID`; `status [ID] [--json]`;
// `list [--json]`; `gc [--dry-run]`. Null for anything else.
export function parseSimple(argv: string[]): SimpleParse | null {
  const [name, ...rest] = argv;
  const n = rest.length;
  const flag = (wanted: string): boolean | null =>
    n === 0 ? false : n === 1 && rest[0] === wanted ? true : null;
  if (name === '--version') return n === 0 ? { version: true } : null;
  if (name === 'stop' || name === 'kill' || name === 'quiet' || name === 'env') {
    const id = readPlainId(rest, 0);
    if (id === null || n > (name === 'stop' ? 2 : 1)) return null;
    if (name !== 'stop') return { call: { command: name, id } };
    if (n === 2 && rest[1] !== '--keep') return null;
    return { call: { command: 'stop', id, keep: n === 2 } };
  }
  if (name === 'status') {
    const id = n > 0 && rest[0] !== '--json' ? readPlainId(rest, 0) : undefined;
    if (id === null) return null;
    const tail = id === undefined ? rest : rest.slice(1);
    const json = tail.length === 0 ? false : tail.length === 1 && tail[0] === '--json' ? true : null;
    return json === null ? null : { call: { command: 'status', id, json } };
  }
  if (name === 'list') {
    const json = flag('--json');
    return json === null ? null : { call: { command: 'list', json } };
  }
  if (name === 'gc') {
    const dryRun = flag('--dry-run');
    return dryRun === null ? null : { call: { command: 'gc', dryRun } };
  }
  return null;
}

// Run argv by the fast path and return the exit code, or null when argv is not one of its forms.
export async function runSimple(argv: string[], io: CliIO): Promise<number | null> {
  if (argv[0] === 'up') return (await import('./simple-up.js')).runSimpleUp(argv.slice(1), io);
  const parsed = parseSimple(argv);
  if (!parsed) return null;
  try {
    if ('version' in parsed) {
      const { readOwnVersion } = await import('./version.js');
      io.out(`${readOwnVersion()}\n`);
      return 0;
    }
    const command = await LOADERS[parsed.call.command]();
    return await command.run(parsed.call, io);
  } catch (error) {
    return reportError(error, io);
  }
}
