// The bench's migration: 20 tables with indexes and 1,000 seed rows, written as .sql files into a temp dir; the
// same SQL as a migrate function that counts its calls; clients over an instance's PG* environment.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const TABLES = 20;
const SEED_ROWS = 1000;

// The DDL of one table: a key, a few typed columns, a reference to the previous table, and two indexes.
function makeTableSql(i: number): string {
  const t = `t${String(i).padStart(2, '0')}`;
  const ref = i > 1 ? `,\n  parent_id integer REFERENCES t${String(i - 1).padStart(2, '0')}(id)` : '';
  return [
    `CREATE TABLE ${t} (\n  id serial PRIMARY KEY,\n  name text NOT NULL,\n  amount numeric(12, 2) NOT NULL DEFAULT 0,`,
    `  tags text[] NOT NULL DEFAULT '{}',\n  created_at timestamptz NOT NULL DEFAULT now()${ref}\n);`,
    `CREATE UNIQUE INDEX ${t}_name ON ${t} (name);`,
    `CREATE INDEX ${t}_created ON ${t} (created_at, amount);`,
  ].join('\n');
}

// The seed rows of one table (SEED_ROWS spread evenly; each row points at a row of the previous table).
function makeSeedSql(i: number): string {
  const t = `t${String(i).padStart(2, '0')}`;
  const rows = SEED_ROWS / TABLES;
  const parent = i > 1 ? ', parent_id' : '';
  const parentValue = i > 1 ? ', n' : '';
  return `INSERT INTO ${t} (name, amount, tags${parent}) SELECT '${t}-' || n, n * 1.5, ARRAY['a', 'b']${parentValue} FROM generate_series(1, ${rows}) AS n;`;
}

// Write the migration files into dir (created): 001 the tables, 002 the seed rows.
export function writeMigrationDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const tables = Array.from({ length: TABLES }, (_, k) => makeTableSql(k + 1));
  const seeds = Array.from({ length: TABLES }, (_, k) => makeSeedSql(k + 1));
  writeFileSync(join(dir, '001_tables.sql'), `${tables.join('\n\n')}\n`);
  writeFileSync(join(dir, '002_seed.sql'), `${seeds.join('\n')}\n`);
  return dir;
}

// The same schema in MariaDB's dialect, one statement per line: 001 the tables, 002 the seed rows (plain VALUES).
export function writeMariadbMigrationDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const name = (i: number): string => `t${String(i).padStart(2, '0')}`;
  const tables: string[] = [];
  const seeds: string[] = [];
  for (let i = 1; i <= TABLES; i++) {
    const t = name(i);
    const ref = i > 1 ? `, parent_id INT, FOREIGN KEY (parent_id) REFERENCES ${name(i - 1)}(id)` : '';
    tables.push(
      `CREATE TABLE ${t} (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, amount DECIMAL(12, 2) NOT NULL DEFAULT 0, tags VARCHAR(100) NOT NULL DEFAULT '', created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP${ref}, UNIQUE INDEX ${t}_name (name), INDEX ${t}_created (created_at, amount));`,
    );
    const rows = Array.from({ length: SEED_ROWS / TABLES }, (_, k) => {
      const n = k + 1;
      return `('${t}-${n}', ${n * 1.5}, 'a,b'${i > 1 ? `, ${n}` : ''})`;
    });
    seeds.push(
      `INSERT INTO ${t} (name, amount, tags${i > 1 ? ', parent_id' : ''}) VALUES ${rows.join(', ')};`,
    );
  }
  writeFileSync(join(dir, '001_tables.sql'), `${tables.join('\n')}\n`);
  writeFileSync(join(dir, '002_seed.sql'), `${seeds.join('\n')}\n`);
  return dir;
}

// Client settings for one database of an instance, from its PG* environment.
function makeClientConfig(env: Record<string, string>, database?: string): pg.ClientConfig {
  return {
    host: env.PGHOST,
    port: Number(env.PGPORT),
    user: env.PGUSER,
    database: database ?? env.PGDATABASE,
    ...(env.PGPASSWORD ? { password: env.PGPASSWORD } : {}),
  };
}

// Open a pg client to one database of an instance.
export async function connectPg(env: Record<string, string>, database?: string): Promise<pg.Client> {
  const client = new pg.Client(makeClientConfig(env, database));
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** A migrate function applying the dir's SQL files, and how often it ran. */
export interface CountingMigration {
  fn: (url: string, env: Record<string, string>) => Promise<void>;
  calls: number;
}

// The migration dir's SQL files, in the order they apply.
export function readMigrationSql(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.sql'))
    .sort()
    .map((n) => readFileSync(join(dir, n), 'utf8'));
}

// The migration as a library function (the same SQL), counting its calls.
export function makeCountingMigration(dir: string): CountingMigration {
  const files = readMigrationSql(dir);
  const counter: CountingMigration = {
    calls: 0,
    fn: async (_url, env) => {
      counter.calls++;
      const client = await connectPg(env);
      try {
        for (const sql of files) await client.query(sql);
      } finally {
        await client.end();
      }
    },
  };
  return counter;
}

/** Runs one SQL statement and gives its rows: a pg client's query, or PGlite's. */
export type RunQuery = (sql: string) => Promise<{ rows: Record<string, unknown>[] }>;

/** What a database holds: its user tables, their rows in all, and its indexes. */
export interface Contents {
  tables: number;
  rows: number;
  indexes: number;
}

// What the database behind `query` holds (checks a clone has the whole template).
export async function countTables(query: RunQuery): Promise<Contents> {
  const tables = await query(
    "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace",
  );
  const names = tables.rows.map((r) => String(r.relname));
  const counts = names.map((n) => `(SELECT count(*) FROM "${n}")`).join(' + ') || '0';
  const rows = await query(`SELECT ${counts} AS n`);
  const indexes = await query("SELECT count(*) AS n FROM pg_indexes WHERE schemaname = 'public'");
  return { tables: names.length, rows: Number(rows.rows[0]?.n), indexes: Number(indexes.rows[0]?.n) };
}

// What one database of an instance holds, over a pg connection.
export async function countContents(env: Record<string, string>, database: string): Promise<Contents> {
  const client = await connectPg(env, database);
  try {
    return await countTables((sql) => client.query(sql));
  } finally {
    await client.end();
  }
}
