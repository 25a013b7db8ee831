// The driver registry: names to drivers, loaded on demand.
import { UsageError } from '../errors.js';
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

// Check a driver name against the registry; a UsageError lists the known ones.
export function validateDriverName(name: string): DriverName {
  if (!Object.hasOwn(LOADERS, name))
    throw new UsageError('driver', name, `expected one of: ${listDriverNames().join(', ')}`);
  return name as DriverName;
}

// Load a driver by name; a UsageError lists the known ones.
export async function loadDriver(name: string): Promise<Driver> {
  return LOADERS[validateDriverName(name)]();
}
