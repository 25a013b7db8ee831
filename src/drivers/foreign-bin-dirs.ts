// Refusing a bin dir (--pg-bin, --mysql-bin, --redis-bin) given to a driver that runs no such server: the registry
// says which drivers take each.
import { UsageError } from '../errors.js';
import type { BinOption } from './bin-dir.js';
import { describeTakers, takesOption } from './capabilities.js';

/** The bin dir options, in the order they are checked. */
const BIN_OPTIONS: readonly BinOption[] = ['pgBin', 'mysqlBin', 'redisBin'];

// Refuse a bin dir given to a driver that runs no such server (as pgHba is refused): the user meant another engine.
export function refuseForeignBinDirs(driver: string, options: Partial<Record<BinOption, unknown>>): void {
  for (const option of BIN_OPTIONS) {
    if (options[option] === undefined || takesOption(driver, option)) continue;
    throw new UsageError(option, options[option], `${driver} has no use for it; ${describeTakers(option)}`);
  }
}
