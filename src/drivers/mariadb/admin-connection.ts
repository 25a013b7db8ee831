// Reaching a MariaDB/MySQL instance for its per-test schemas: client settings, a schema's connection, our
// bookkeeping names and the server error numbers the admin tells apart.
import type { PoolOptions } from 'mysql2/promise';
import { TEMPLATE_NAME } from '../databases.js';
import type { Connection } from '../types.js';
import { buildMariadbConnection, readMariadbAccount } from './connection.js';

/** Our bookkeeping schema: `pool` lists the schemas made ahead that no test has taken yet. */
export const META_NAME = 'quickdb_meta';
export const POOL_TABLE = `${META_NAME}.pool`;
export const SYSTEM = ['information_schema', 'mysql', 'performance_schema', 'sys', TEMPLATE_NAME, META_NAME];
/** Pooled copies a migrated snapshot is saved with. */
export const SEALED_POOL = 2;
/** "Unknown database", "table doesn't exist", "unknown thread id": our bookkeeping is not there (yet), or a
 *  session ended by itself before we could. */
const ER_BAD_DB = 1049;
const ER_NO_SUCH_TABLE = 1146;
export const ER_NO_SUCH_THREAD = 1094;
/** "Can't create database; database exists": a chosen name already taken, which is not ours to drop. */
export const ER_DB_CREATE_EXISTS = 1007;
export const ER_PARSE_ERROR = 1064;

// Client settings: the instance's account on its socket (each start gives root@localhost and a chosen user the
// instance's password, so it is sent there too).
export function buildClientOptions(env: Record<string, string>): PoolOptions {
  const account = readMariadbAccount(env);
  return {
    socketPath: account.socket,
    user: account.user,
    ...(account.password !== null ? { password: account.password } : {}),
  };
}

// The connection for one schema of the instance: its name in the URL's path and MYSQL_DATABASE.
export function buildMariadbDatabaseConnection(connection: Connection, name: string): Connection {
  return buildMariadbConnection({ ...readMariadbAccount(connection.env), database: name });
}

// Quote an identifier with backticks.
export function quoteName(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

// True when a query failed because our bookkeeping schema or table is missing.
export function isMissingMeta(error: unknown): boolean {
  const errno = (error as { errno?: number }).errno;
  return errno === ER_BAD_DB || errno === ER_NO_SUCH_TABLE;
}
