// How clients reach a PostgreSQL instance: a plain TCP URL on the loopback (the one form pg, postgres.js 3 and 4,
// knex, Kysely, TypeORM and Prisma all parse) and the PG* environment libpq and node-postgres read.
import { buildTlsEnv, formatUserInfo, LOOPBACK } from '../network.js';
import type { Connection } from '../types.js';

/** What a PostgreSQL connection is made of: the loopback port, the account (password null: auth 'trust') and the
 *  instance's certificate when the port speaks TLS. */
export interface PgAccount {
  port: number;
  user: string;
  password: string | null;
  database: string;
  tls: string | null;
  /** The private socket dir, for an instance with no TCP listener (a migration build); else the loopback. */
  socketDir?: string;
}

// The connection for an account: URL, PG* variables and DATABASE_URL.
export function buildPgConnection(account: PgAccount): Connection {
  const { port, user, password, database, tls, socketDir } = account;
  if (socketDir !== undefined) return buildPgSocketConnection(account, socketDir);
  const path = `${LOOPBACK}:${port}/${encodeURIComponent(database)}`;
  const url = `postgresql://${formatUserInfo(user, password)}@${path}${tls === null ? '' : '?sslmode=verify-full'}`;
  const verify = tls === null ? {} : { PGSSLMODE: 'verify-full', PGSSLROOTCERT: tls, ...buildTlsEnv(tls) };
  return {
    url,
    env: {
      PGHOST: LOOPBACK,
      PGPORT: String(port),
      PGUSER: user,
      PGDATABASE: database,
      ...(password !== null ? { PGPASSWORD: password } : {}),
      ...verify,
      DATABASE_URL: url,
    },
  };
}

// The connection of an instance with no TCP listener: the socket dir as host, trust (libpq and pg read this form).
function buildPgSocketConnection(account: PgAccount, socketDir: string): Connection {
  const { port, user, database } = account;
  const query = `host=${encodeURIComponent(socketDir)}&port=${port}`;
  const url = `postgresql://${encodeURIComponent(user)}@/${encodeURIComponent(database)}?${query}`;
  const env = {
    PGHOST: socketDir,
    PGPORT: String(port),
    PGUSER: user,
    PGDATABASE: database,
    DATABASE_URL: url,
  };
  return { url, env };
}

// The account a connection's PG* variables name (the caller checks them when they were read back from disk).
export function readPgAccount(env: Record<string, string>): PgAccount {
  return {
    port: Number(env.PGPORT),
    user: String(env.PGUSER),
    password: env.PGPASSWORD ?? null,
    database: String(env.PGDATABASE),
    tls: env.PGSSLROOTCERT ?? null,
    ...(env.PGHOST !== undefined && env.PGHOST !== LOOPBACK ? { socketDir: env.PGHOST } : {}),
  };
}

// The connection for another database of the same instance.
export function buildPgDatabaseConnection(connection: Connection, database: string): Connection {
  return buildPgConnection({ ...readPgAccount(connection.env), database });
}
