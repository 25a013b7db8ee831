// How clients reach a MariaDB/MySQL instance: URL and MYSQL_* environment, over its socket or TCP.
import type { Connection } from '../types.js';

// URL and MYSQL_* environment for the socket, or for TCP with root's password when a port was asked for.
export function buildMariadbConnection(
  socket: string,
  tcp: { port: number; password: string } | null,
): Connection {
  const url =
    tcp === null
      ? `mysql://root@localhost/?socket=${encodeURIComponent(socket)}`
      : `mysql://root:${tcp.password}@127.0.0.1:${tcp.port}/`;
  const env: Record<string, string> = { MYSQL_UNIX_PORT: socket, MYSQL_USER: 'root', DATABASE_URL: url };
  if (tcp !== null) {
    Object.assign(env, {
      MYSQL_HOST: '127.0.0.1',
      MYSQL_TCP_PORT: String(tcp.port),
      MYSQL_PWD: tcp.password,
    });
  }
  return { url, env };
}
