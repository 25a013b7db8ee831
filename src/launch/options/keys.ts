// The option keys startServer accepts: unknown keys refused with the closest known one.

import { UsageError } from '../../errors.js';
import { suggestClosest } from '../../suggest.js';
import { OPTION_FLAGS } from './flags.js';
import type { InternalStartOptions, StartOptions } from './start-options.js';

/** The options only the library's tests give (InternalStartOptions minus StartOptions). */
const INTERNAL_KEYS: readonly Exclude<keyof InternalStartOptions, keyof StartOptions>[] = ['parentStartTime'];

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
