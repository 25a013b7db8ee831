// The driver registry: names to drivers, loaded on demand.
import type { Driver } from './types.js';

const LOADERS = {
  command: async () => (await import('./command.js')).commandDriver,
  postgresql: async () => (await import('./postgresql/driver.js')).postgresqlDriver,
  redis: async () => (await import('./redis.js')).redisDriver,
  mariadb: async () => (await import('./mariadb/driver.js')).mariadbDriver,
  mysql: async () => (await import('./mariadb/driver.js')).mysqlDriver,
} satisfies Record<string, () => Promise<Driver>>;

/** The names a driver is chosen by (`startServer({ driver })`, `up DRIVER`), derived from the registry. */
export type DriverName = keyof typeof LOADERS;

// The names `up` accepts as DRIVER.
export function listDriverNames(): string[] {
  return Object.keys(LOADERS);
}

/** Is this one of the registry's names? (launch/options/driver-name.ts says what a user meant by another.) */
export function isDriverName(name: unknown): name is DriverName {
  return typeof name === 'string' && Object.hasOwn(LOADERS, name);
}

// Load a driver by a name the options checked.
export async function loadDriver(name: DriverName): Promise<Driver> {
  return LOADERS[name]();
}
