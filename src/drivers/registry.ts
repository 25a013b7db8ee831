// The engine registry: every name a driver is chosen by, and what that engine can do. One entry per engine; its driver
// and its per-test database admin are loaded on demand (loading this module loads no engine and no client library).
import type { DatabaseAdmin } from './databases.js';
import type { Connection, Driver } from './types.js';

/** The engine-specific options (named as the library names them) an engine takes; others refuse them. */
export type EngineOption = 'pgBin' | 'pgHba' | 'pgVersion' | 'mysqlBin' | 'redisBin';

/** The variable families exec's `--and` groups tell apart (two unprefixed servers of one family clash), in the order
 *  prose lists engines: SQL engines first, then Redis, then a command. */
const FAMILIES = {
  sql: 'SQL (DATABASE_URL)',
  redis: 'Redis (REDIS_*)',
  command: 'command (QUICKDB_DATA_DIR…)',
} as const;

/** How a kept per-test database is opened by hand: the client program, the engine's name, the package holding it. */
export interface KeptClient {
  program: string;
  engine: string;
  package: string;
}

/** One engine: how to load its driver, its per-test database admin (null: it has none) and what it can do. */
export interface Engine {
  /** Load the driver (its plan: argv, readiness, connection). */
  load: () => Promise<Driver>;
  /** Load the per-test database admin's opener, or null when the engine has no per-test databases. */
  admin: null | (() => Promise<(connection: Connection) => Promise<DatabaseAdmin>>);
  /** Whether its admin runs migrations and seals a template (needs an admin). */
  migrates: boolean;
  /** What one per-test database is on this engine, or null. */
  unit: null | 'database' | 'schema' | 'index';
  /** The family of variables it exports (exec's clash check, and the order prose lists engines in). */
  family: keyof typeof FAMILIES;
  /** Whether the server is the argv the user gives (`args`, exec's `--server`) rather than an engine of ours. */
  givenArgv: boolean;
  /** The engine-specific options it takes. */
  options: readonly EngineOption[];
  /** The engine's own name in prose ("is not PostgreSQL"). */
  title: string;
  /** Names users of other tools type for it (refused all the same, with a "did you mean" this engine). */
  aliases: readonly string[];
  /** How a kept per-test database is opened by hand, when a note says so. */
  keptClient?: KeptClient;
}

/** What mariadb and mysql share: one driver (whichever of mariadbd or mysqld is installed) under two names. */
const MARIADB_LIKE = {
  admin: async () => (await import('./mariadb/admin.js')).openMariadbAdmin,
  migrates: true,
  unit: 'schema',
  family: 'sql',
  givenArgv: false,
  options: ['mysqlBin'],
} as const;

// The engines, in the order `unknown driver` lists them; keyed by the one name each is chosen by.
const ENGINES = {
  command: {
    load: async () => (await import('./command.js')).commandDriver,
    admin: null,
    migrates: false,
    unit: null,
    family: 'command',
    givenArgv: true,
    options: [],
    title: 'command',
    aliases: [],
  },
  postgresql: {
    load: async () => (await import('./postgresql/driver.js')).postgresqlDriver,
    admin: async () => (await import('./postgresql/admin.js')).openPgAdmin,
    migrates: true,
    unit: 'database',
    family: 'sql',
    givenArgv: false,
    options: ['pgBin', 'pgHba', 'pgVersion'],
    title: 'PostgreSQL',
    aliases: ['postgres', 'postgre', 'pg', 'psql'],
    keptClient: { program: 'psql', engine: 'PostgreSQL', package: 'postgresql-client' },
  },
  redis: {
    load: async () => (await import('./redis/driver.js')).redisDriver,
    admin: async () => (await import('./redis/admin.js')).openRedisAdmin,
    migrates: false,
    unit: 'index',
    family: 'redis',
    givenArgv: false,
    options: ['redisBin'],
    title: 'Redis',
    aliases: ['valkey', 'redis-server'],
  },
  mariadb: {
    ...MARIADB_LIKE,
    load: async () => (await import('./mariadb/driver.js')).mariadbDriver,
    title: 'MariaDB',
    aliases: ['maria'],
  },
  mysql: {
    ...MARIADB_LIKE,
    load: async () => (await import('./mariadb/driver.js')).mysqlDriver,
    title: 'MySQL',
    aliases: [],
  },
} as const satisfies Record<string, Engine>;

type Engines = typeof ENGINES;

/** The names a driver is chosen by (`startServer({ driver })`, `up DRIVER`), derived from the registry. */
export type DriverName = keyof Engines;

/** The drivers with per-test databases (those whose entry has an admin), derived from the registry. */
export type DatabaseDriverName = {
  [K in DriverName]: Engines[K]['admin'] extends null ? never : K;
}[DriverName];

/** The driver when none is named. */
export const DEFAULT_DRIVER = 'postgresql' satisfies DriverName;

/** Is this one of the registry's names? Only its own names: not one every object inherits (`constructor`). */
export function isDriverName(name: unknown): name is DriverName {
  return typeof name === 'string' && Object.hasOwn(ENGINES, name);
}

// The entry of a name, or undefined for any other string (a name read back from disk is untrusted).
export function findEngine(name: string): Engine | undefined {
  return isDriverName(name) ? ENGINES[name] : undefined;
}

// The names `up` accepts as DRIVER, in the registry's order (the `unknown driver` message lists them so).
export function listDriverNames(): DriverName[] {
  return Object.keys(ENGINES) as DriverName[];
}

// The names in the order prose lists engines: by family (SQL, Redis, command), then the registry's order.
export function listInProseOrder(): DriverName[] {
  const rank = Object.keys(FAMILIES);
  const byFamily = (name: DriverName) => rank.indexOf(ENGINES[name].family);
  return listDriverNames().sort((a, b) => byFamily(a) - byFamily(b));
}

// The entries answering a question, in prose order.
export function listEngines(test: (engine: Engine) => boolean): DriverName[] {
  return listInProseOrder().filter((name) => test(ENGINES[name]));
}

// Load a driver by a name the options checked.
export async function loadDriver(name: DriverName): Promise<Driver> {
  return ENGINES[name].load();
}

/** The variables' family of a driver (exec's clash check): `Redis (REDIS_*)`, `SQL (DATABASE_URL)`… */
export function describeEnvFamily(name: DriverName): string {
  return FAMILIES[ENGINES[name].family];
}
