// How clients reach a PostgreSQL instance: URL and PG* environment, over the socket dir or TCP.
import type { Connection } from '../types.js';
import { PG_DATABASE, PG_USER } from './init.js';

// The connection over the socket dir, or over TCP with the instance's password when a port was asked for.
export function buildPgConnection(socketDir: string, port: number, password: string | null): Connection {
  const host = password !== null ? '127.0.0.1' : socketDir;
  const url =
    password !== null
      ? `postgresql://${PG_USER}:${password}@127.0.0.1:${port}/${PG_DATABASE}`
      : `postgresql://${PG_USER}@/${PG_DATABASE}?host=${encodeURIComponent(socketDir)}&port=${port}`;
  return {
    url,
    env: {
      PGHOST: host,
      PGPORT: String(port),
      PGUSER: PG_USER,
      PGDATABASE: PG_DATABASE,
      ...(password !== null ? { PGPASSWORD: password } : {}),
      DATABASE_URL: url,
    },
  };
}
