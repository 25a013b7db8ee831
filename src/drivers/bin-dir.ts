// A bin dir the user names for an engine (--pg-bin, --mysql-bin, --redis-bin): finding a server in it (which drivers
// take each: foreign-bin-dirs.ts).
import { UsageError } from '../errors.js';
import { findExecutable } from '../state/process/executables.js';

/** The bin dir options (the library's names). */
export type BinOption = 'pgBin' | 'mysqlBin' | 'redisBin';

// The first of `names` that is an executable in the dir the user gave as `option`; else a UsageError saying `expected`.
export function findInBinDir(option: BinOption, dir: string, names: string[], expected: string): string {
  const found = typeof dir === 'string' && dir !== '' ? findExecutable(names, [dir]) : null;
  if (!found) throw new UsageError(option, dir, expected);
  return found;
}
