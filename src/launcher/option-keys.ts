// The option keys: the one table of startServer's keys and the CLI flag of each, unknown keys refused with the
// closest known one, and errors renamed between library names (`stopGraceMs`) and CLI flags (`--stop-grace`).

import { UsageError } from '../errors.js';
import type { InternalStartOptions, StartOptions } from './start-options.js';
import { suggestClosest } from './suggest.js';

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
    const near = suggestClosest(key, known);
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
