// Per-test databases on MariaDB/MySQL: a schema per test, copied from the migrated template schema; a pool claimed
// through a bookkeeping table; drops that end the sessions still in the schema; over a few mysql2 sessions.
import mysql, { type Connection as MysqlConnection, type Pool } from 'mysql2/promise';
import {
  type CreatedDatabase,
  claimOrClone,
  type DatabaseAdmin,
  type DatabaseEntry,
  generateDatabaseName,
  type OpenSession,
  TEMPLATE_NAME,
  TEST_PREFIX,
} from '../databases.js';
import type { Connection } from '../types.js';
import {
  buildClientOptions,
  buildMariadbDatabaseConnection,
  ER_DB_CREATE_EXISTS,
  ER_NO_SUCH_THREAD,
  ER_PARSE_ERROR,
  isMissingMeta,
  META_NAME,
  POOL_TABLE,
  quoteName,
  SEALED_POOL,
  SYSTEM,
} from './admin-connection.js';
import { LOCAL_ROOT, TCP_ROOT } from './tcp-root.js';
import { buildCopyScript, readTemplateCopy, type TemplateCopy } from './template-copy.js';

class MariadbAdmin implements DatabaseAdmin {
  #connection: Connection;
  /** A few sessions, so a test's claim never waits behind a pool refill's copy. */
  #pool: Pool | null = null;
  /** The session migrations run in (its default schema is the template), kept across files like a tool's. */
  #migrating: MysqlConnection | null = null;
  #copy: Promise<TemplateCopy | null> | null = null;
  /** Whether the server takes DELETE … RETURNING (MariaDB does; a MySQL server's parse error turns it off). */
  #returning = true;

  constructor(connection: Connection) {
    this.#connection = connection;
  }

  #sessions(): Pool {
    if (!this.#pool) {
      const options = buildClientOptions(this.#connection.env);
      this.#pool = mysql.createPool({ ...options, connectionLimit: 3, multipleStatements: true });
    }
    return this.#pool;
  }

  async #query(sql: string, values?: unknown[]): Promise<unknown> {
    const [result] = await this.#sessions().query(sql, values);
    return result;
  }

  // Make schema `name` a copy of the template (an empty schema when no migration made one), in one round trip.
  async #clone(name: string): Promise<void> {
    this.#copy ??= readTemplateCopy(this.#sessions()).catch((error) => {
      this.#copy = null;
      throw error;
    });
    const copy = await this.#copy;
    if (!copy) {
      await this.#query(`CREATE DATABASE ${quoteName(name)}`);
      return;
    }
    const session = await this.#sessions().getConnection();
    try {
      await session.query(buildCopyScript(copy, name));
      session.release();
    } catch (error) {
      // The session may still be in the half-made schema with its settings changed: it goes, not back to the pool.
      session.destroy();
      if ((error as { errno?: number }).errno !== ER_DB_CREATE_EXISTS) await this.drop(name).catch(() => {});
      throw error;
    }
  }

  // Claim a pooled schema: MariaDB cannot rename a schema, so the claim is deleting its row from our bookkeeping
  // table; InnoDB locks the row, so a row is deleted (a schema handed out) once, whoever races for it.
  async #claimPooled(): Promise<string | null> {
    try {
      if (this.#returning) return await this.#claimReturning();
      const rows = (await this.#query(`SELECT name FROM ${POOL_TABLE} ORDER BY seq`)) as { name: string }[];
      for (const { name } of rows) {
        const deleted = (await this.#query(`DELETE FROM ${POOL_TABLE} WHERE name = ?`, [name])) as {
          affectedRows: number;
        };
        if (deleted.affectedRows === 1) return name;
      }
      return null;
    } catch (error) {
      if (isMissingMeta(error)) return null;
      if ((error as { errno?: number }).errno !== ER_PARSE_ERROR || !this.#returning) throw error;
      this.#returning = false;
      return this.#claimPooled();
    }
  }

  // MariaDB takes the oldest row and says which in one statement (one round trip); MySQL has no RETURNING.
  async #claimReturning(): Promise<string | null> {
    const rows = (await this.#query(`DELETE FROM ${POOL_TABLE} ORDER BY seq LIMIT 1 RETURNING name`)) as {
      name: string;
    }[];
    return rows[0]?.name ?? null;
  }

  async #ensureMeta(): Promise<void> {
    await this.#query(
      `CREATE DATABASE IF NOT EXISTS ${META_NAME};
       CREATE TABLE IF NOT EXISTS ${POOL_TABLE} (seq BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(64) NOT NULL UNIQUE) ENGINE=InnoDB`,
    );
  }

  create(name?: string): Promise<CreatedDatabase> {
    return claimOrClone(
      name,
      () => this.#claimPooled(),
      (chosen) => this.#clone(chosen),
    );
  }

  // Pooled schemas carry the per-test prefix from the start (a claim cannot rename them); the table says which.
  async addPooled(): Promise<string> {
    const name = generateDatabaseName(TEST_PREFIX);
    await this.#ensureMeta();
    await this.#clone(name);
    await this.#query(`INSERT INTO ${POOL_TABLE} (name) VALUES (?)`, [name]);
    return name;
  }

  async listSessions(name: string): Promise<OpenSession[]> {
    const rows = (await this.#query(
      'SELECT ID AS id, HOST AS host, COMMAND AS command, LEFT(INFO, 200) AS info FROM information_schema.PROCESSLIST ' +
        'WHERE DB = ? AND ID <> CONNECTION_ID() ORDER BY ID',
      [name],
    )) as { id: number; host: string; command: string; info: string | null }[];
    return rows.map((r) => ({
      id: Number(r.id),
      application: '',
      from: String(r.host || 'unix socket'),
      since: '',
      state: String(r.command ?? '').toLowerCase(),
      lastQuery: String(r.info ?? ''),
    }));
  }

  // DROP DATABASE waits for sessions that hold its tables in a transaction: end every session in the schema first.
  // (A session whose default is another schema but that holds this one's tables open still makes the drop wait.)
  async drop(name: string): Promise<void> {
    await this.#query(`DELETE FROM ${POOL_TABLE} WHERE name = ?`, [name]).catch((error) => {
      if (!isMissingMeta(error)) throw error;
    });
    const sessions = (await this.#query(
      'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
      [name],
    )) as { id: number }[];
    for (const { id } of sessions) {
      await this.#query(`KILL CONNECTION ${Number(id)}`).catch((error) => {
        if ((error as { errno?: number }).errno !== ER_NO_SUCH_THREAD) throw error;
      });
    }
    await this.#query(`DROP DATABASE IF EXISTS ${quoteName(name)}`);
  }

  async list(): Promise<DatabaseEntry[]> {
    const schemas = (await this.#query(
      'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN (?) ORDER BY SCHEMA_NAME',
      [[...SYSTEM, this.#connection.env.MYSQL_DATABASE ?? TEMPLATE_NAME]],
    )) as { name: string }[];
    const pooled = new Set<string>();
    try {
      for (const row of (await this.#query(`SELECT name FROM ${POOL_TABLE}`)) as { name: string }[])
        pooled.add(row.name);
    } catch (error) {
      if (!isMissingMeta(error)) throw error;
    }
    return schemas.map((s) => ({ name: s.name, pooled: pooled.has(s.name) }));
  }

  connectionFor(name: string): Connection {
    return buildMariadbDatabaseConnection(this.#connection, name);
  }

  async #ensureTemplate(): Promise<void> {
    await this.#query(`CREATE DATABASE IF NOT EXISTS ${TEMPLATE_NAME}`);
  }

  // The template schema, made now if missing: a migration command or function connects to it when it starts.
  async migrationTarget(): Promise<Connection> {
    await this.#ensureTemplate();
    return this.connectionFor(TEMPLATE_NAME);
  }

  // One file's statements in the template schema. DDL commits implicitly in MariaDB/MySQL, so a file is not one
  // transaction: a failure leaves the statements before it applied, and the build that ran it caches nothing.
  async applySql(sql: string): Promise<void> {
    if (!this.#migrating) {
      await this.#ensureTemplate();
      const options = buildClientOptions(this.#connection.env);
      this.#migrating = await mysql.createConnection({
        ...options,
        database: TEMPLATE_NAME,
        multipleStatements: true,
      });
      this.#migrating.on('error', () => {});
    }
    await this.#migrating.query(sql);
  }

  // The migrations ran in the template schema itself: sealing is making sure it exists, the bookkeeping, and a few
  // pooled copies so that a migrated snapshot ships with them.
  async sealTemplate(): Promise<void> {
    await this.#migrating?.end().catch(() => {});
    this.#migrating = null;
    await this.#ensureTemplate();
    await this.#ensureMeta();
    this.#copy = null;
    for (let i = 0; i < SEALED_POOL; i++) await this.addPooled();
  }

  // The build instance's TCP root goes, and root@localhost is socket-only with no password again (as the plain
  // snapshot has it): a migrated snapshot holds no password; each start sets the instance's own.
  async forgetAccess(): Promise<void> {
    await this.#query(`DROP USER IF EXISTS ${TCP_ROOT}; ALTER USER ${LOCAL_ROOT} IDENTIFIED BY ''`);
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    const migrating = this.#migrating;
    this.#pool = null;
    this.#migrating = null;
    await migrating?.end().catch(() => {});
    await pool?.end().catch(() => {});
  }
}

// Open the admin side of a MariaDB/MySQL instance (it connects on first use).
export async function openMariadbAdmin(connection: Connection): Promise<DatabaseAdmin> {
  return new MariadbAdmin(connection);
}
