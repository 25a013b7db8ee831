// The driver registry: names to drivers, loaded on demand.
import { UsageError } from '../errors.js';
import type { Driver } from './types.js';

const LOADERS: Record<string, () => Promise<Driver>> = {
  command: async () => (await import('./command.js')).commandDriver,
  postgresql: async () => (await import('./postgresql/driver.js')).postgresqlDriver,
  redis: async () => (await import('./redis.js')).redisDriver,
  mariadb: async () => (await import('./mariadb/driver.js')).mariadbDriver,
  mysql: async () => (await import('./mariadb/driver.js')).mysqlDriver,
};

// The names `up` accepts as DRIVER.
function listDriverNames(): string[] {
  return Object.keys(LOADERS);
}

// Load a driver by name; a UsageError lists the known ones.
export async function loadDriver(name: string): Promise<Driver> {
  const load = LOADERS[name];
  if (!load) throw new UsageError('DRIVER', name, `expected one of: ${listDriverNames().join(', ')}`);
  return load();
}
