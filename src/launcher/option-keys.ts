// The option keys: the one table of startServer's keys and the CLI flag of each, unknown keys refused with the
// closest known one, and errors renamed between library names (`stopGraceMs`) and CLI flags (`--stop-grace`).
import { UsageError } from '../errors.js';
import type { InternalStartOptions, StartOptions } from './start-options.js';

/** Each startServer option and what sets it on the CLI (the key itself where the CLI has no flag for it). */
const OPTION_FLAGS: { readonly [K in keyof Required<StartOptions>]: string } = {
  driver: 'DRIVER',
  args: '-- ARGV',
  id: '--id',
  dataDir: '--data-dir',
  dataOn: '--data-on',
  cleanup: '--cleanup',
  parent: '--parent',
  lifeline: 'lifeline',
  backend: '--backend',
  stopGraceMs: '--stop-grace',
  fastGraceMs: '--fast-grace',
  pollMs: '--poll',
  stopSignal: '--stop-signal',
  fastStopSignal: '--fast-stop-signal',
  readyFile: '--ready-file',
  readyPort: '--ready-port',
  readyLog: '--ready-log',
  readyTimeoutMs: '--ready-timeout',
  env: 'env',
  stateRoot: 'stateRoot',
  port: '--port',
  pgBin: '--pg-bin',
  snapshot: '--snapshot',
  migrate: '--migrate',
  migrateHash: '--migrate-hash',
  migrateKey: 'migrateKey',
  pool: '--pool',
};

/** The options only the library's tests give (InternalStartOptions minus StartOptions). */
const INTERNAL_KEYS: readonly Exclude<keyof InternalStartOptions, keyof StartOptions>[] = ['parentStartTime'];

/** Names of parts of an option, and their flags: `migrate: { command }` is the CLI's --migrate-command. */
const PART_FLAGS: Readonly<Record<string, string>> = { 'migrate.command': '--migrate-command' };

const FLAG_OF: ReadonlyMap<string, string> = new Map([
  ...Object.entries(OPTION_FLAGS),
  ...Object.entries(PART_FLAGS),
]);
const KEY_OF: ReadonlyMap<string, string> = new Map([...FLAG_OF].map(([key, flag]) => [flag, key]));

/** The keys startServer accepts. */
export const START_OPTION_KEYS: readonly string[] = Object.keys(OPTION_FLAGS);

/** The keys the library's own tests may also give. */
export const INTERNAL_OPTION_KEYS: readonly string[] = [...START_OPTION_KEYS, ...INTERNAL_KEYS];

/** Where a user reads what the options are. */
const WHERE_DOCUMENTED =
  'the options are those of StartOptions, listed in the README ("Library") and documented in the package\'s types';

// The number of single-letter edits between two words (case counts as no edit).
function countEdits(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) {
      const swap = x[i - 1] === y[j - 1] ? 0 : 1;
      next.push(Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + swap));
    }
    row = next;
  }
  return row[y.length] ?? 0;
}

// The known key closest to a mistyped one, when it is close enough to be what was meant.
function findClosestKey(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; edits: number } | undefined;
  for (const candidate of known) {
    const edits = countEdits(key, candidate);
    if (!best || edits < best.edits) best = { key: candidate, edits };
  }
  return best && best.edits <= Math.max(1, Math.floor(key.length / 3)) ? best.key : undefined;
}

/** Refuse options that are not an object, or that hold a key not in `known` (even with the value undefined). */
export function checkOptionKeys(options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new UsageError(
      'options',
      options,
      `expected an object of startServer options; ${WHERE_DOCUMENTED}`,
    );
  for (const [key, value] of Object.entries(options)) {
    if (known.includes(key)) continue;
    const near = findClosestKey(key, known);
    const hint = near ? ` (did you mean ${near}?)` : '';
    throw UsageError.fromMessage(`unknown option "${key}"${hint}; ${WHERE_DOCUMENTED}`, key, value);
  }
}

/** The error with its options named as the library names them (`stopGraceMs`, not `--stop-grace`). */
export function nameForLibrary(error: UsageError): UsageError {
  return error.renamed((name) => KEY_OF.get(name) ?? name);
}

/** The error with its options named by the CLI's flags (`--stop-grace`, not `stopGraceMs`). */
export function nameForCli(error: UsageError): UsageError {
  return error.renamed((name) => FLAG_OF.get(name) ?? name);
}
