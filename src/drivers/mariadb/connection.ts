// How clients reach a MariaDB/MySQL instance: a TCP URL every client reads the same way, and MYSQL_* environment.
import type { Connection } from '../types.js';

/** Where an instance listens: its private socket, and the loopback port whose root needs `password`. */
export interface MariadbListeners {
  socket: string;
  port: number;
  password: string;
}

// The URL names the loopback, its port and root's password, nothing in a query: mysql2, knex and Prisma all read
// it alike (a socket query parameter is read by some clients only; the others would dial localhost:3306, maybe
// another server). The socket stays in MYSQL_UNIX_PORT for CLI tools and our admin (root without a password).
export function buildMariadbConnection({ socket, port, password }: MariadbListeners): Connection {
  const url = `mysql://root:${password}@127.0.0.1:${port}/`;
  return {
    url,
    env: {
      MYSQL_UNIX_PORT: socket,
      MYSQL_USER: 'root',
      DATABASE_URL: url,
      MYSQL_HOST: '127.0.0.1',
      MYSQL_TCP_PORT: String(port),
      MYSQL_PWD: password,
    },
  };
}
