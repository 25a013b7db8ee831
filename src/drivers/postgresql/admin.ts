// Per-test databases on PostgreSQL: clones of the migrated template database (CREATE DATABASE … TEMPLATE), a pool
// claimed by rename (atomic across processes), drops that end open sessions; over one `pg` admin connection.
import pg from 'pg';
import {
  type CreatedDatabase,
  claimOrClone,
  type DatabaseAdmin,
  type DatabaseEntry,
  generateDatabaseName,
  type OpenSession,
  POOL_PREFIX,
  TEMPLATE_NAME,
  TEST_PREFIX,
} from '../databases.js';
import type { Connection } from '../types.js';
import { buildPgDatabaseConnection } from './connection.js';
import { explainMissingExtension } from './extensions.js';
import { PG_DATABASE } from './init.js';

const SYSTEM = [PG_DATABASE, 'template0', 'template1', TEMPLATE_NAME];
/** Pooled clones a migrated snapshot is saved with (each a full copy of the template, about 8 MB). */
const SEALED_POOL = 2;
/** PostgreSQL's error code for a syntax error (WITH (FORCE) before 13). */
const SYNTAX_ERROR = '42601';
/** Ends every other session in database $1 (before a drop without FORCE, or before copying it). */
const TERMINATE_SESSIONS =
  'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()';
/** The sessions connected to database $1, but ours, oldest first. */
const SESSIONS =
  "SELECT pid, application_name, coalesce(host(client_addr) || ':' || client_port, 'unix socket') AS origin, " +
  "backend_start, coalesce(state, '') AS state, left(query, 200) AS query FROM pg_stat_activity " +
  'WHERE datname = $1 AND pid <> pg_backend_pid() ORDER BY backend_start';
/** PostgreSQL's error code for "database does not exist" (a pooled one another process took first). */
const UNDEFINED_DATABASE = '3D000';

// Client settings for one database of the instance, from its PG* environment.
function buildClientConfig(connection: Connection, database: string): pg.ClientConfig {
  const env = connection.env;
  return {
    host: env.PGHOST,
    port: Number(env.PGPORT),
    user: env.PGUSER,
    database,
    ...(env.PGPASSWORD ? { password: env.PGPASSWORD } : {}),
  };
}

class PgAdmin implements DatabaseAdmin {
  #connection: Connection;
  /** A few sessions, so a test's claim never waits behind a pool refill's clone. */
  #pool: pg.Pool | null = null;
  #template: string | null = null;
  #strategy = '';

  constructor(connection: Connection) {
    this.#connection = connection;
  }

  async #query(sql: string, values?: unknown[]): Promise<pg.QueryResult> {
    if (!this.#pool) {
      this.#pool = new pg.Pool({ ...buildClientConfig(this.#connection, PG_DATABASE), max: 3 });
      this.#pool.on('error', () => {});
    }
    return this.#pool.query(sql, values);
  }

  // The template to clone (ours once migrations ran, else template1) and the copy strategy this server takes.
  async #cloneClause(): Promise<string> {
    if (this.#template === null) {
      const found = await this.#query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE_NAME]);
      this.#template = found.rowCount ? TEMPLATE_NAME : 'template1';
      const version = await this.#query('SHOW server_version_num');
      // 15+ copies block by block through the WAL by default; FILE_COPY copies the files (faster for a test-sized
      // database here: bench/RESULTS.md "issue 13"). Before 15, FILE_COPY is the only way and takes no clause.
      this.#strategy = Number(version.rows[0].server_version_num) >= 150000 ? ' STRATEGY FILE_COPY' : '';
    }
    return `TEMPLATE "${this.#template}"${this.#strategy}`;
  }

  async #clone(name: string): Promise<void> {
    await this.#query(`CREATE DATABASE "${name}" ${await this.#cloneClause()}`);
  }

  // Claim one pooled database by renaming it; another process's claim of the same one fails with 3D000.
  async #claimPooled(): Promise<string | null> {
    const pooled = await this.#query(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY oid`,
      [POOL_PREFIX],
    );
    for (const row of pooled.rows as { datname: string }[]) {
      const name = generateDatabaseName(TEST_PREFIX);
      try {
        await this.#query(`ALTER DATABASE "${row.datname}" RENAME TO "${name}"`);
        return name;
      } catch (error) {
        if ((error as { code?: string }).code !== UNDEFINED_DATABASE) throw error;
      }
    }
    return null;
  }

  create(name?: string): Promise<CreatedDatabase> {
    return claimOrClone(
      name,
      () => this.#claimPooled(),
      (chosen) => this.#clone(chosen),
    );
  }

  async addPooled(): Promise<string> {
    const name = generateDatabaseName(POOL_PREFIX);
    await this.#clone(name);
    return name;
  }

  async drop(name: string): Promise<void> {
    try {
      await this.#query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } catch (error) {
      // Before PostgreSQL 13 there is no FORCE: end the sessions, then drop (a session connecting in between fails it).
      if ((error as { code?: string }).code !== SYNTAX_ERROR) throw error;
      await this.#query(TERMINATE_SESSIONS, [name]);
      await this.#query(`DROP DATABASE IF EXISTS "${name}"`);
    }
  }

  async listSessions(name: string): Promise<OpenSession[]> {
    const found = await this.#query(SESSIONS, [name]);
    return (found.rows as Record<string, unknown>[]).map((r) => ({
      id: Number(r.pid),
      application: String(r.application_name ?? ''),
      from: String(r.origin),
      since: r.backend_start instanceof Date ? r.backend_start.toISOString() : '',
      state: String(r.state),
      lastQuery: String(r.query ?? ''),
    }));
  }

  async list(): Promise<DatabaseEntry[]> {
    const found = await this.#query(
      'SELECT datname FROM pg_database WHERE NOT (datname = ANY($1)) ORDER BY datname',
      [[...SYSTEM, this.#connection.env.PGDATABASE]],
    );
    return (found.rows as { datname: string }[]).map((r) => ({
      name: r.datname,
      pooled: r.datname.startsWith(POOL_PREFIX),
    }));
  }

  connectionFor(name: string): Connection {
    return buildPgDatabaseConnection(this.#connection, name);
  }

  async migrationTarget(): Promise<Connection> {
    // The main database, whatever the instance's own is (a chosen one is cloned from it at each start).
    return buildPgDatabaseConnection(this.#connection, PG_DATABASE);
  }

  // Nothing to forget: a migration build listens on its socket only and never gets a password.
  async forgetAccess(): Promise<void> {}

  async applySql(sql: string): Promise<void> {
    // One simple-protocol query: its statements run as one transaction unless the file has its own BEGIN/COMMIT.
    await this.#query(sql);
  }

  explainFailure(cause: unknown, server: Record<string, unknown> | undefined): string | null {
    return explainMissingExtension(cause, server);
  }

  async sealTemplate(): Promise<void> {
    await this.close();
    // The main database may have no other session while it is copied: end what a migration tool left open.
    const client = new pg.Client(buildClientConfig(this.#connection, 'template1'));
    client.on('error', () => {});
    await client.connect();
    try {
      await client.query(TERMINATE_SESSIONS, [PG_DATABASE]);
      await client.query(`CREATE DATABASE "${TEMPLATE_NAME}" TEMPLATE "${PG_DATABASE}"`);
      await client.query(`ALTER DATABASE "${TEMPLATE_NAME}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
    } finally {
      await client.end();
    }
    this.#template = null;
    // A migrated snapshot ships a few pooled clones: the first tests of a run take one by a rename.
    for (let i = 0; i < SEALED_POOL; i++) await this.addPooled();
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = null;
    await pool?.end().catch(() => {});
  }
}

// Open the admin side of a PostgreSQL instance (it connects on first use).
export async function openPgAdmin(connection: Connection): Promise<DatabaseAdmin> {
  return new PgAdmin(connection);
}
