// A running instance opened by id from any process of this user: its connection and its per-test databases.
import { type DatabaseEntry, validateDatabaseName } from '../drivers/databases.js';
import type { ServerInfo } from '../launch/server-info.js';
import { inspectInstance } from '../manage/inventory.js';
import { openInstanceDatabases } from '../start/databases/by-id.js';
import type { TestDatabase } from '../start/databases/test-database.js';
import { checkId, checkManageOptions, type ManageOptions } from './options.js';

/** A running database instance as another process opens it by id (it does not own it: no stop here). */
export interface OpenedInstance {
  /** The instance id. */
  readonly id: string;
  /** The engine: "postgresql", "mariadb", "mysql" or "redis". */
  readonly driver: string;
  /** The server's connection URL, read back from its record and checked to lead to its own server. */
  readonly url: string | undefined;
  /** Environment variables a client uses (PGHOST…, MYSQL_UNIX_PORT…, REDIS_URL…). */
  readonly env: Record<string, string>;
  /** What runs: engine, exact version, binary and where it came from (undefined when the record has none). */
  readonly server: ServerInfo | undefined;
  /** A fresh database for one test, cloned from the migrated template (or taken from the warm pool). It stays
   *  until dropped or the server stops, also after {@link OpenedInstance.close}. */
  createDatabase(options?: { name?: string }): Promise<TestDatabase>;
  /** The per-test and pooled databases the server holds now. */
  listDatabases(): Promise<DatabaseEntry[]>;
  /** Drop one database by name, even with sessions open. */
  dropDatabase(name: string): Promise<void>;
  /** Resolve once the warm pool (the instance's `pool` option) is topped up again after a create. */
  settle(): Promise<void>;
  /** Close this process's admin connection (the server keeps running). */
  close(): Promise<void>;
}

/**
 * Open a running database instance by id (one `quickdb-watcher up` printed, a test runner handed over, or any of
 * `listInstances()`): its connection, and per-test databases cloned from its migrated template.
 *
 * @example
 * ```ts
 * const instance = openInstance('postgresql-1a2b3c4d');
 * try {
 *   const db = await instance.createDatabase();
 *   console.log(db.url);
 * } finally {
 *   await instance.close();
 * }
 * ```
 * @throws {UsageError} there is no such instance, it has no per-test databases (a command), or the options are not
 *   valid.
 * @throws {QuickdbError} the instance is not running, or its record is refused.
 */
export function openInstance(id: string, options?: ManageOptions): OpenedInstance {
  checkId(id);
  const { stateRoot } = checkManageOptions('openInstance', options);
  const pool = openInstanceDatabases(stateRoot, id);
  const server = inspectInstance(stateRoot, id)?.server ?? undefined;
  return {
    id: pool.instanceId,
    driver: pool.driver,
    url: pool.connection.url,
    env: { ...pool.connection.env },
    server,
    createDatabase: async (made = {}) =>
      pool.create(made.name === undefined ? undefined : validateDatabaseName('name', made.name)),
    listDatabases: () => pool.list(),
    dropDatabase: async (name) => pool.drop(validateDatabaseName('name', name)),
    settle: () => pool.settle(),
    close: () => pool.close(),
  };
}
