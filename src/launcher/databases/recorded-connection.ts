// The connection spec.json records for an instance, read back as untrusted input: string values only, its host the
// loopback or its own socket inside its state dir, and the rest exactly what the engine's driver writes for that.

import { dirname, join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { buildMariadbConnection } from '../../drivers/mariadb/connection.js';
import { buildPgConnection } from '../../drivers/postgresql/connection.js';
import type { Connection } from '../../drivers/types.js';
import { QuickdbError } from '../../errors.js';
import type { Spec } from '../../state/spec.js';

/** The loopback address an instance listening on TCP records as its host. */
const LOOPBACK = '127.0.0.1';
/** A password as generatePassword makes them (URL-safe: one with "@" or "/" would move the URL's host). */
const PASSWORD = /^[A-Za-z0-9_-]{1,128}$/;
/** The variables Redis records (another could lead a client elsewhere). */
const REDIS_ENV = [
  'REDIS_URL',
  'REDIS_SOCKET',
  'REDIS_HOST',
  'REDIS_PORT',
  'REDIS_PASSWORD',
  'REDISCLI_AUTH',
];

/** Why a recorded connection is refused (the caller says what it was about to do). */
class Refusal extends Error {}

// A refusal of what spec.json says (nothing is connected to).
export function refuseSpec(id: string, why: string, action = 'open the databases of'): QuickdbError {
  return new QuickdbError(`refusing to ${action} ${id}: its spec.json ${why}`);
}

// Stop checking: spec.json says `why`.
function refuse(why: string): never {
  throw new Refusal(why);
}

// Check spec.info.connection: { url?: string, env: { string: string } }.
function readConnection(spec: Spec): Connection {
  const raw = spec.info?.connection as { url?: unknown; env?: unknown } | undefined;
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

// PostgreSQL: PGHOST is the instance's own socket dir (<stateDir>/sock) or the loopback (TCP, with its password).
function checkPgConnection(spec: Spec, connection: Connection): void {
  const { PGHOST: host, PGPORT: port, PGPASSWORD: password } = connection.env;
  const socketDir = join(spec.stateDir, 'sock');
  if (host !== socketDir && host !== LOOPBACK)
    refuse(`names PGHOST ${JSON.stringify(host)}; expected its own socket dir ${socketDir} or ${LOOPBACK}`);
  if (port === undefined || !/^\d{1,5}$/.test(port))
    refuse(`names PGPORT ${JSON.stringify(port)}; expected a port number`);
  if (host === LOOPBACK) checkPassword('PGPASSWORD', password);
  expectBuilt(
    connection,
    buildPgConnection(socketDir, Number(port), host === LOOPBACK ? String(password) : null),
  );
}

// MariaDB/MySQL: the socket in the instance's own socket dir, and TCP on the loopback with a password.
function checkMariadbConnection(spec: Spec, connection: Connection): void {
  const env = connection.env;
  checkOwnSocket(spec, 'MYSQL_UNIX_PORT', env.MYSQL_UNIX_PORT);
  checkPassword('MYSQL_PWD', env.MYSQL_PWD);
  const listeners = {
    socket: String(env.MYSQL_UNIX_PORT),
    port: Number(env.MYSQL_TCP_PORT),
    password: String(env.MYSQL_PWD),
  };
  expectBuilt(connection, buildMariadbConnection(listeners));
}

// `command`: only the variables naming the instance's own id and dirs, no URL.
function checkCommandConnection(spec: Spec, connection: Connection): void {
  const own = { QUICKDB_ID: spec.id, QUICKDB_DATA_DIR: spec.dataDir, QUICKDB_STATE_DIR: spec.stateDir };
  expectBuilt(connection, { env: own });
}

// A password must be one we could have made: URL-safe, so it cannot move the host of the URL it is written into.
function checkPassword(key: string, password: string | undefined): void {
  if (password === undefined || !PASSWORD.test(password))
    refuse(`names a ${key} that is not one of ours (expected up to 128 letters, digits, "-" or "_")`);
}

// Redis: the socket in the instance's own socket dir, or the loopback; the URL renders the same.
function checkRedisConnection(spec: Spec, connection: Connection): void {
  const env = connection.env;
  checkKeys(env, REDIS_ENV);
  checkOwnSocket(spec, 'REDIS_SOCKET', env.REDIS_SOCKET);
  const tcp = /^redis:\/\/[^@/?#]*@127\.0\.0\.1:(\d+)$/.exec(String(connection.url));
  const fine =
    env.REDIS_HOST === undefined
      ? connection.url === `unix://${env.REDIS_SOCKET}`
      : tcp?.[1] === env.REDIS_PORT;
  if (!fine || (env.REDIS_HOST ?? LOOPBACK) !== LOOPBACK || env.REDIS_URL !== connection.url)
    refuse('has info.connection.url leading elsewhere than its own socket or 127.0.0.1');
}

// Refuse variables an engine does not record (one such as PGHOSTADDR could lead a client elsewhere).
function checkKeys(env: Record<string, string>, allowed: string[]): void {
  const extra = Object.keys(env).find((key) => !allowed.includes(key));
  if (extra !== undefined)
    refuse(`names ${extra} in info.connection.env; expected only ${allowed.join(', ')}`);
}

// A socket path must be a file right inside the instance's own socket dir.
function checkOwnSocket(spec: Spec, key: string, path: string | undefined): void {
  const socketDir = join(spec.stateDir, 'sock');
  if (path === undefined || resolve(path) !== path || dirname(path) !== socketDir)
    refuse(`names ${key} ${JSON.stringify(path)}; expected a socket in ${socketDir}`);
}

/** Per driver: how its recorded connection must look to be the instance's own server. */
const CONNECTION_CHECKS: Record<string, (spec: Spec, connection: Connection) => void> = {
  postgresql: checkPgConnection,
  mariadb: checkMariadbConnection,
  mysql: checkMariadbConnection,
  redis: checkRedisConnection,
  command: checkCommandConnection,
};

/** The instance's recorded connection, checked; a QuickdbError (nothing connected to) when it is refused, saying
 *  what it refused to do (`action` and the id: "refusing to open the databases of pg-1a2b3c4d: …"). */
export function readRecordedConnection(spec: Spec, action?: string): Connection {
  try {
    const connection = readConnection(spec);
    const check = CONNECTION_CHECKS[spec.driver];
    if (!check) refuse(`is for ${spec.driver}, whose connection this version cannot check`);
    check(spec, connection);
    return connection;
  } catch (error) {
    if (error instanceof Refusal) throw refuseSpec(spec.id, error.message, action);
    throw error;
  }
}
