// How clients reach a MariaDB/MySQL instance: a TCP URL every client reads the same way, and the MYSQL_* environment
// that mysql2's own tests, the mariadb connector's and the `mysql` CLI read.
import { buildTlsEnv, formatUserInfo, LOOPBACK } from '../network.js';
import type { Connection } from '../types.js';

/** Where an instance listens and who connects: its private socket, the loopback port, the account (password null:
 *  auth 'trust'; database null: none chosen). */
export interface MariadbAccount {
  socket: string;
  port: number;
  user: string;
  password: string | null;
  database: string | null;
  /** The instance's certificate when the port also speaks TLS (clients opt in; the URL stays the same). */
  tls: string | null;
}

// The URL names the loopback, its port and the account, nothing in a query: mysql2, the mariadb connector, knex and
// Prisma all read it alike (a socket query parameter is read by some clients only; the others would dial
// localhost:3306, maybe another server). The socket stays in MYSQL_UNIX_PORT for CLI tools.
export function buildMariadbConnection(account: MariadbAccount): Connection {
  const { socket, port, user, password, database, tls } = account;
  const url = `mysql://${formatUserInfo(user, password)}@${LOOPBACK}:${port}/${database ?? ''}`;
  const secret: Record<string, string> =
    password === null ? {} : { MYSQL_PASSWORD: password, MYSQL_PWD: password };
  return {
    url,
    env: {
      MYSQL_UNIX_PORT: socket,
      MYSQL_HOST: LOOPBACK,
      MYSQL_PORT: String(port),
      MYSQL_TCP_PORT: String(port),
      MYSQL_USER: user,
      ...secret,
      ...(database === null ? {} : { MYSQL_DATABASE: database }),
      ...(tls === null ? {} : { MYSQL_SSL_CA: tls, ...buildTlsEnv(tls) }),
      DATABASE_URL: url,
    },
  };
}

// The account a connection's MYSQL_* variables name (the caller checks them when they were read back from disk).
export function readMariadbAccount(env: Record<string, string>): MariadbAccount {
  return {
    socket: String(env.MYSQL_UNIX_PORT),
    port: Number(env.MYSQL_PORT),
    user: String(env.MYSQL_USER),
    password: env.MYSQL_PASSWORD ?? null,
    database: env.MYSQL_DATABASE ?? null,
    tls: env.MYSQL_SSL_CA ?? null,
  };
}
