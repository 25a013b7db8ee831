// The connection spec.json records for an instance (its launch record's `connection`), read back as untrusted input:
// string values only, its host the loopback, its socket inside its own state dir, names and a password a user could
// have given, and the rest (the URL above all) exactly what the engine's driver builds from those.
import { dirname, join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ACCOUNT_NAME, isAcceptablePassword } from '../drivers/access.js';
import { buildMariadbConnection, readMariadbAccount } from '../drivers/mariadb/connection.js';
import { LOOPBACK } from '../drivers/network.js';
import { buildPgConnection, readPgAccount } from '../drivers/postgresql/connection.js';
import { buildRedisConnection, readRedisAccount } from '../drivers/redis/connection.js';
import { type DriverName, isDriverName } from '../drivers/registry.js';
import type { Connection } from '../drivers/types.js';
import type { Spec } from '../state/records/spec.js';

/** A field of a record read back: its checked value, or why it is refused (said after "its spec.json"). */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Why a recorded connection is refused (the caller says what it was about to do). */
class Refusal extends Error {}

// Stop checking: spec.json says `why`.
function refuse(why: string): never {
  throw new Refusal(why);
}

// Check spec.info.connection: { url?: string, env: { string: string } }.
function readConnection(value: unknown): Connection {
  const raw = value as { url?: unknown; env?: unknown } | undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) refuse('has no info.connection object');
  const env = raw.env;
  if (typeof env !== 'object' || env === null || Array.isArray(env))
    refuse('has no info.connection.env object');
  for (const [key, value] of Object.entries(env)) {
    if (typeof value !== 'string') refuse(`info.connection.env.${key} is not a string`);
  }
  if (raw.url !== undefined && typeof raw.url !== 'string') refuse('info.connection.url is not a string');
  return { ...(raw.url !== undefined ? { url: raw.url } : {}), env: { ...(env as Record<string, string>) } };
}

// The recorded connection must be exactly what the driver builds for the host, port and password it names: no
// other variable (PGHOSTADDR could lead a client elsewhere), no URL leading elsewhere.
function expectBuilt(connection: Connection, built: Connection): void {
  if (isDeepStrictEqual({ url: connection.url, env: connection.env }, { url: built.url, env: built.env }))
    return;
  const extra = Object.keys(connection.env).find((key) => !(key in built.env));
  refuse(
    extra !== undefined
      ? `names ${extra} in info.connection.env; expected only ${Object.keys(built.env).join(', ')}`
      : 'has info.connection leading elsewhere than its own server (not what its driver records)',
  );
}

// A port as a driver records it.
function checkPort(key: string, port: string | undefined): void {
  if (port === undefined || !/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)
    refuse(`names ${key} ${JSON.stringify(port)}; expected a port number`);
}

// A user or database name as the access options allow them (optional ones may be missing).
function checkName(key: string, name: string | undefined, optional = false): void {
  if (name === undefined && optional) return;
  if (name === undefined || !ACCOUNT_NAME.test(name))
    refuse(`names ${key} ${JSON.stringify(name)}; expected letters, digits or "_"`);
}

// A password, when there is one, must be one a user could have given (the URL is rebuilt around it, encoded).
function checkPassword(key: string, password: string | undefined): void {
  if (password !== undefined && !isAcceptablePassword(password))
    refuse(`names a ${key} that is not one of ours (expected 1-128 characters, no control characters)`);
}

// PostgreSQL: the loopback (or its own socket dir: a migration build), a port, the account; the rest exactly as the
// driver builds it from them.
function checkPgConnection(spec: Spec, connection: Connection): void {
  const env = connection.env;
  const socketDir = join(spec.stateDir, 'sock');
  if (env.PGHOST !== LOOPBACK && env.PGHOST !== socketDir)
    refuse(
      `names PGHOST ${JSON.stringify(env.PGHOST)}; expected ${LOOPBACK} or its own socket dir ${socketDir}`,
    );
  checkPort('PGPORT', env.PGPORT);
  checkName('PGUSER', env.PGUSER);
  checkName('PGDATABASE', env.PGDATABASE);
  checkPassword('PGPASSWORD', env.PGPASSWORD);
  checkOwnCert(spec, 'PGSSLROOTCERT', env.PGSSLROOTCERT);
  expectBuilt(connection, buildPgConnection(readPgAccount(env)));
}

// MariaDB/MySQL: the socket in the instance's own socket dir, the loopback port, the account.
function checkMariadbConnection(spec: Spec, connection: Connection): void {
  const env = connection.env;
  checkOwnSocket(spec, 'MYSQL_UNIX_PORT', env.MYSQL_UNIX_PORT);
  checkPort('MYSQL_PORT', env.MYSQL_PORT);
  checkName('MYSQL_USER', env.MYSQL_USER);
  checkName('MYSQL_DATABASE', env.MYSQL_DATABASE, true);
  checkPassword('MYSQL_PASSWORD', env.MYSQL_PASSWORD);
  checkOwnCert(spec, 'MYSQL_SSL_CA', env.MYSQL_SSL_CA);
  expectBuilt(connection, buildMariadbConnection(readMariadbAccount(env)));
}

// `command`: only the variables naming the instance's own id and dirs, no URL.
function checkCommandConnection(spec: Spec, connection: Connection): void {
  const own = { QUICKDB_ID: spec.id, QUICKDB_DATA_DIR: spec.dataDir, QUICKDB_STATE_DIR: spec.stateDir };
  expectBuilt(connection, { env: own });
}

// Redis: the socket in the instance's own socket dir, the loopback port, user default (or none before Redis 6).
function checkRedisConnection(spec: Spec, connection: Connection): void {
  const env = connection.env;
  checkOwnSocket(spec, 'REDIS_SOCKET', env.REDIS_SOCKET);
  checkPort('REDIS_PORT', env.REDIS_PORT);
  checkPassword('REDIS_PASSWORD', env.REDIS_PASSWORD);
  checkOwnCert(spec, 'REDIS_TLS_CA', env.REDIS_TLS_CA);
  if (env.REDIS_DB !== undefined) refuse('names REDIS_DB; the instance itself has none');
  const account = readRedisAccount(connection);
  if (account.user !== 'default' && account.user !== '') refuse('names a Redis user other than default');
  expectBuilt(connection, buildRedisConnection(account));
}

// A certificate, when there is one, must be the one made in the instance's own tls dir.
function checkOwnCert(spec: Spec, key: string, path: string | undefined): void {
  const own = join(spec.stateDir, 'tls', 'server.crt');
  if (path !== undefined && path !== own) refuse(`names ${key} ${JSON.stringify(path)}; expected ${own}`);
}

// A socket path must be a file right inside the instance's own socket dir.
function checkOwnSocket(spec: Spec, key: string, path: string | undefined): void {
  const socketDir = join(spec.stateDir, 'sock');
  if (path === undefined || resolve(path) !== path || dirname(path) !== socketDir)
    refuse(`names ${key} ${JSON.stringify(path)}; expected a socket in ${socketDir}`);
}

/** Per driver: how its recorded connection must look to be the instance's own server (every registry name has one). */
const CONNECTION_CHECKS: Record<DriverName, (spec: Spec, connection: Connection) => void> = {
  postgresql: checkPgConnection,
  mariadb: checkMariadbConnection,
  mysql: checkMariadbConnection,
  redis: checkRedisConnection,
  command: checkCommandConnection,
};

/** The connection recorded in `spec` (its info.connection, `raw`), checked against the instance's own server. */
export function checkRecordedConnection(spec: Spec, raw: unknown): Checked<Connection> {
  try {
    const connection = readConnection(raw);
    // Only the registry's own names: spec.driver is untrusted, and `constructor` is a key of every object.
    const check = isDriverName(spec.driver) ? CONNECTION_CHECKS[spec.driver] : undefined;
    if (!check) refuse(`is for ${spec.driver}, whose connection this version cannot check`);
    check(spec, connection);
    return { ok: true, value: connection };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, problem: error.message };
    throw error;
  }
}
