// Opening the per-test database admin of a driver's instance: the registry's loader, its client library on demand.
import { UsageError } from '../errors.js';
import { listPerTestEngines } from './capabilities.js';
import type { DatabaseAdmin } from './databases.js';
import { findEngine } from './registry.js';
import type { Connection } from './types.js';

// Open the admin connection for a driver's instance (its client library is loaded only now).
export async function openDatabaseAdmin(driver: string, connection: Connection): Promise<DatabaseAdmin> {
  const load = findEngine(driver)?.admin;
  if (!load)
    throw new UsageError(
      'driver',
      driver,
      `per-test databases need one of: ${listPerTestEngines().join(', ')}`,
    );
  return (await load())(connection);
}
