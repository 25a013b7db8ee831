// The connection spec.json records for an instance, read back as untrusted input: string values only, and for each
// engine only the variables it writes, its host the loopback or its own socket inside its state dir.
import { dirname, join, resolve } from 'node:path';
import type { Connection } from '../../drivers/types.js';
import { QuickdbError } from '../../errors.js';
import type { Spec } from '../../state/spec.js';

/** The loopback address an instance listening on TCP records as its host. */
const LOOPBACK = '127.0.0.1';
/** The variables each engine records (another, such as PGHOSTADDR, could lead a client elsewhere). */
const PG_ENV = ['PGHOST', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGPASSWORD', 'DATABASE_URL'];
const MYSQL_ENV = [
  'MYSQL_UNIX_PORT',
  'MYSQL_USER',
  'DATABASE_URL',
  'MYSQL_HOST',
  'MYSQL_TCP_PORT',
  'MYSQL_PWD',
];
const REDIS_ENV = [
  'REDIS_URL',
  'REDIS_SOCKET',
  'REDIS_HOST',
  'REDIS_PORT',
  'REDIS_PASSWORD',
  'REDISCLI_AUTH',
];

// A refusal of what spec.json says (nothing is connected to).
export function refuseSpec(id: string, why: string): QuickdbError {
  return new QuickdbError(`refusing to open the databases of ${id}: its spec.json ${why}`);
}

// Check spec.info.connection: { url?: string, env: { string: string } }.
function readConnection(spec: Spec): Connection {
  const raw = spec.info?.connection as { url?: unknown; env?: unknown } | undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw refuseSpec(spec.id, 'has no info.connection object');
  const env = raw.env;
  if (typeof env !== 'object' || env === null || Array.isArray(env))
    throw refuseSpec(spec.id, 'has no info.connection.env object');
  for (const [key, value] of Object.entries(env)) {
    if (typeof value !== 'string') throw refuseSpec(spec.id, `info.connection.env.${key} is not a string`);
  }
  if (raw.url !== undefined && typeof raw.url !== 'string')
    throw refuseSpec(spec.id, 'info.connection.url is not a string');
  return { ...(raw.url !== undefined ? { url: raw.url } : {}), env: { ...(env as Record<string, string>) } };
}

// PostgreSQL: PGHOST is the instance's own socket dir (<stateDir>/sock) or the loopback, and the URL says the same.
function checkPgConnection(spec: Spec, connection: Connection): void {
  checkKeys(spec, connection.env, PG_ENV);
  const { PGHOST: host, PGPORT: port } = connection.env;
  const socketDir = join(spec.stateDir, 'sock');
  if (host !== socketDir && host !== LOOPBACK)
    throw refuseSpec(
      spec.id,
      `names PGHOST ${JSON.stringify(host)}; expected its own socket dir ${socketDir} or ${LOOPBACK}`,
    );
  if (port === undefined || !/^\d{1,5}$/.test(port))
    throw refuseSpec(spec.id, `names PGPORT ${JSON.stringify(port)}; expected a port number`);
  // By hand: WHATWG URL refuses `postgresql://user@/db` (an empty host with a user), the socket form.
  const url = /^postgresql:\/\/(?:[^@/?#]*@)?([^/?#:]*)(?::(\d+))?\/[^?#]*(?:\?([^#]*))?$/.exec(
    String(connection.url),
  );
  const query = new URLSearchParams(url?.[3] ?? '');
  const keys = [...query.keys()];
  if (keys.some((key) => key !== 'host' && key !== 'port') || new Set(keys).size !== keys.length)
    throw refuseSpec(spec.id, 'has info.connection.url with parameters other than one host and one port');
  const urlHost = url?.[1] ? url[1] : query.get('host');
  const urlPort = url?.[2] ?? query.get('port');
  if (!url || urlHost !== host || urlPort !== port || connection.env.DATABASE_URL !== connection.url)
    throw refuseSpec(spec.id, `has info.connection.url leading elsewhere than PGHOST ${host} port ${port}`);
}

// MariaDB/MySQL: the socket in the instance's own socket dir, or the loopback; the URL renders the same.
function checkMariadbConnection(spec: Spec, connection: Connection): void {
  const env = connection.env;
  checkKeys(spec, env, MYSQL_ENV);
  checkOwnSocket(spec, 'MYSQL_UNIX_PORT', env.MYSQL_UNIX_PORT);
  const socketUrl = `mysql://root@localhost/?socket=${encodeURIComponent(String(env.MYSQL_UNIX_PORT))}`;
  const tcp = /^mysql:\/\/[^@/?#]*@127\.0\.0\.1:(\d+)\/$/.exec(String(connection.url));
  const fine = env.MYSQL_HOST === undefined ? connection.url === socketUrl : tcp?.[1] === env.MYSQL_TCP_PORT;
  if (!fine || (env.MYSQL_HOST ?? LOOPBACK) !== LOOPBACK || env.DATABASE_URL !== connection.url)
    throw refuseSpec(spec.id, 'has info.connection.url leading elsewhere than its own socket or 127.0.0.1');
}

// Redis: the socket in the instance's own socket dir, or the loopback; the URL renders the same.
function checkRedisConnection(spec: Spec, connection: Connection): void {
  const env = connection.env;
  checkKeys(spec, env, REDIS_ENV);
  checkOwnSocket(spec, 'REDIS_SOCKET', env.REDIS_SOCKET);
  const tcp = /^redis:\/\/[^@/?#]*@127\.0\.0\.1:(\d+)$/.exec(String(connection.url));
  const fine =
    env.REDIS_HOST === undefined
      ? connection.url === `unix://${env.REDIS_SOCKET}`
      : tcp?.[1] === env.REDIS_PORT;
  if (!fine || (env.REDIS_HOST ?? LOOPBACK) !== LOOPBACK || env.REDIS_URL !== connection.url)
    throw refuseSpec(spec.id, 'has info.connection.url leading elsewhere than its own socket or 127.0.0.1');
}

// Refuse variables an engine does not record (one such as PGHOSTADDR could lead a client elsewhere).
function checkKeys(spec: Spec, env: Record<string, string>, allowed: string[]): void {
  const extra = Object.keys(env).find((key) => !allowed.includes(key));
  if (extra !== undefined)
    throw refuseSpec(spec.id, `names ${extra} in info.connection.env; expected only ${allowed.join(', ')}`);
}

// A socket path must be a file right inside the instance's own socket dir.
function checkOwnSocket(spec: Spec, key: string, path: string | undefined): void {
  const socketDir = join(spec.stateDir, 'sock');
  if (path === undefined || resolve(path) !== path || dirname(path) !== socketDir)
    throw refuseSpec(spec.id, `names ${key} ${JSON.stringify(path)}; expected a socket in ${socketDir}`);
}

/** Per driver: how its recorded connection must look to be the instance's own server. */
const CONNECTION_CHECKS: Record<string, (spec: Spec, connection: Connection) => void> = {
  postgresql: checkPgConnection,
  mariadb: checkMariadbConnection,
  mysql: checkMariadbConnection,
  redis: checkRedisConnection,
};

/** The instance's recorded connection, checked; a QuickdbError (nothing connected to) when it is refused. */
export function readRecordedConnection(spec: Spec): Connection {
  const connection = readConnection(spec);
  const check = CONNECTION_CHECKS[spec.driver];
  if (!check) throw refuseSpec(spec.id, `is for ${spec.driver}, whose connection this version cannot check`);
  check(spec, connection);
  return connection;
}
