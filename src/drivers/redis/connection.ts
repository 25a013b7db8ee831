// How clients reach a Redis instance: a redis:// URL on the loopback (ioredis, node-redis 4 and the current major
// all parse it; node-redis 4 refuses unix://) and the REDIS_* environment; the private socket in REDIS_SOCKET.
import { buildTlsEnv, formatUserInfo, LOOPBACK } from '../network.js';
import type { Connection } from '../types.js';

/** Where an instance listens and who connects: `user` is `default` on Redis 6+ (none before); password null: auth
 *  'trust'; `db` a per-test database index. */
export interface RedisAccount {
  socket: string;
  port: number;
  user: string;
  password: string | null;
  db?: string;
  /** The instance's certificate when the port speaks TLS only (`rediss://`). */
  tls: string | null;
}

// The connection for an account (and one database index).
export function buildRedisConnection(account: RedisAccount): Connection {
  const { socket, port, user, password, db, tls } = account;
  const auth =
    password === null
      ? ''
      : `${user === '' ? '' : formatUserInfo(user, null)}:${encodeURIComponent(password)}@`;
  const scheme = tls === null ? 'redis' : 'rediss';
  const url = `${scheme}://${auth}${LOOPBACK}:${port}${db === undefined ? '' : `/${db}`}`;
  const env: Record<string, string> = { REDIS_URL: url, REDIS_HOST: LOOPBACK, REDIS_PORT: String(port) };
  if (password !== null) Object.assign(env, { REDIS_PASSWORD: password, REDISCLI_AUTH: password });
  if (db !== undefined) env.REDIS_DB = db;
  if (tls !== null) Object.assign(env, { REDIS_TLS_CA: tls, ...buildTlsEnv(tls) });
  return { url, env: { ...env, REDIS_SOCKET: socket } };
}

// The account a connection names (the caller checks it when it was read back from disk).
export function readRedisAccount(connection: Connection): RedisAccount {
  const env = connection.env;
  const user = /^rediss?:\/\/([^:@/]*):/.exec(String(connection.url))?.[1] ?? '';
  return {
    socket: String(env.REDIS_SOCKET),
    port: Number(env.REDIS_PORT),
    user: decodeURIComponent(user),
    password: env.REDIS_PASSWORD ?? null,
    ...(env.REDIS_DB !== undefined ? { db: env.REDIS_DB } : {}),
    tls: env.REDIS_TLS_CA ?? null,
  };
}

// A directive argument Redis reads back byte for byte: double-quoted, everything but letters and digits as \xHH.
export function quoteRedisArgument(text: string): string {
  const bytes = [...Buffer.from(text, 'utf8')];
  return `"${bytes.map((b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('')}"`;
}
