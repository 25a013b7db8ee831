// Which drivers have per-test databases and migrations, and loading their admin (its client library on demand).
import { UsageError } from '../errors.js';
import type { DatabaseAdmin } from './databases.js';
import type { Connection } from './types.js';

const ADMINS: Record<string, () => Promise<(c: Connection) => Promise<DatabaseAdmin>>> = {
  postgresql: async () => (await import('./postgresql/admin.js')).openPgAdmin,
  mariadb: async () => (await import('./mariadb/admin.js')).openMariadbAdmin,
  mysql: async () => (await import('./mariadb/admin.js')).openMariadbAdmin,
  redis: async () => (await import('./redis-admin.js')).openRedisAdmin,
};

/** The drivers whose admin runs migrations and seals a template (Redis has databases, but no migrations). */
const MIGRATING = ['postgresql', 'mariadb', 'mysql'];

// True when the driver runs migrations.
export function canMigrate(driver: string): boolean {
  return MIGRATING.includes(driver);
}

// True when the driver has per-test databases.
export function hasDatabaseAdmin(driver: string): boolean {
  return driver in ADMINS;
}

// Open the admin connection for a driver's instance (its client library is loaded only now).
export async function openDatabaseAdmin(driver: string, connection: Connection): Promise<DatabaseAdmin> {
  const load = ADMINS[driver];
  if (!load)
    throw new UsageError(
      'driver',
      driver,
      `per-test databases need one of: ${Object.keys(ADMINS).join(', ')}`,
    );
  return (await load())(connection);
}
