// How clients reach a PostgreSQL instance: URL and PG* environment, over the socket dir or TCP.
import type { Connection } from '../types.js';
import { PG_DATABASE, PG_USER } from './init.js';

// The connection for a socket dir, and a TCP port when one was asked for.
export function buildPgConnection(socketDir: string, port: number, tcp: boolean): Connection {
  const host = tcp ? '127.0.0.1' : socketDir;
  const url = tcp
    ? `postgresql://${PG_USER}@127.0.0.1:${port}/${PG_DATABASE}`
    : `postgresql://${PG_USER}@/${PG_DATABASE}?host=${encodeURIComponent(socketDir)}&port=${port}`;
  return {
    url,
    env: {
      PGHOST: host,
      PGPORT: String(port),
      PGUSER: PG_USER,
      PGDATABASE: PG_DATABASE,
      DATABASE_URL: url,
    },
  };
}
