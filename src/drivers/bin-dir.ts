// A bin dir the user names for an engine (--pg-bin, --mysql-bin, --redis-bin): who takes it, and finding a server in it.
import { UsageError } from '../errors.js';
import { findExecutable } from '../state/process/executables.js';

/** Each bin dir option and the drivers that use it. */
const TAKERS = {
  pgBin: ['postgresql'],
  mysqlBin: ['mariadb', 'mysql'],
  redisBin: ['redis'],
} as const satisfies Record<string, readonly string[]>;

type BinOption = keyof typeof TAKERS;

// Refuse a bin dir given to a driver that runs no such server (as pgHba is refused): the user meant another engine.
export function refuseForeignBinDirs(driver: string, options: Partial<Record<BinOption, unknown>>): void {
  for (const [option, takers] of Object.entries(TAKERS) as [BinOption, readonly string[]][]) {
    if (options[option] === undefined || takers.includes(driver)) continue;
    const who = takers.length === 1 ? `only ${takers[0]} takes it` : `only ${takers.join(' and ')} take it`;
    throw new UsageError(option, options[option], `${driver} has no use for it; ${who}`);
  }
}

// The first of `names` that is an executable in the dir the user gave as `option`; else a UsageError saying `expected`.
export function findInBinDir(option: BinOption, dir: string, names: string[], expected: string): string {
  const found = typeof dir === 'string' && dir !== '' ? findExecutable(names, [dir]) : null;
  if (!found) throw new UsageError(option, dir, expected);
  return found;
}
