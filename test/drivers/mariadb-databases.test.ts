// MariaDB per-test schemas: migrations cached as a migrated snapshot, schemas copied from the template schema, the
// warm pool, drops with clients connected, a failing migration caching nothing; a real server and mysql2.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import mysql from 'mysql2/promise';
import type { Instance } from '../../dist/index.js';
import { scratchDir } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { requireEngine, startLib } from './db.js';

const SCHEMA_SQL = `
CREATE TABLE parent (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL UNIQUE);
CREATE TABLE child (
  id INT AUTO_INCREMENT PRIMARY KEY,
  parent_id INT NOT NULL,
  doubled INT GENERATED ALWAYS AS (id * 2) VIRTUAL,
  CONSTRAINT child_parent FOREIGN KEY (parent_id) REFERENCES parent (id)
);
CREATE VIEW child_names AS SELECT c.id, p.name FROM child c JOIN parent p ON p.id = c.parent_id;
`;
const SEED_SQL = `
INSERT INTO parent (name) VALUES ('a'), ('b'), ('c');
INSERT INTO child (parent_id) SELECT id FROM parent;
`;

// A private snapshot cache for this test (restored after), so what it builds and finds is its own.
function usePrivateCache(t: TestContext): string {
  const cache = scratchDir(t, 'cache-');
  const saved = process.env.QUICKDB_WATCHER_CACHE;
  process.env.QUICKDB_WATCHER_CACHE = cache;
  t.after(() => {
    if (saved === undefined) delete process.env.QUICKDB_WATCHER_CACHE;
    else process.env.QUICKDB_WATCHER_CACHE = saved;
  });
  return cache;
}

// A dir of migration files.
function writeMigrations(t: TestContext, files: Record<string, string>): string {
  const dir = join(scratchDir(t, 'migrations-'), 'migrations');
  mkdirSync(dir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

// The migrated snapshots (those with a base) in a cache, with when each was made.
function listMigrated(cache: string): { key: string; createdAt: string }[] {
  const dir = join(cache, 'snapshots');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'snapshot.json')))
    .map((name) => JSON.parse(readFileSync(join(dir, name, 'snapshot.json'), 'utf8')))
    .filter((meta) => meta.base)
    .map((meta) => ({ key: meta.key, createdAt: meta.createdAt }));
}

function snapshotOf(instance: Instance): string {
  return String((instance.info.server?.dataDir as { snapshot?: string } | undefined)?.snapshot);
}

// A mysql2 session in one schema of the instance (root on its socket, with the instance's password).
function connect(instance: Instance, database?: string): Promise<mysql.Connection> {
  const socketPath = instance.env.MYSQL_UNIX_PORT as string;
  const password = instance.env.MYSQL_PASSWORD as string;
  return mysql.createConnection({ socketPath, user: 'root', password, ...(database ? { database } : {}) });
}

// Run one query in a schema and return its rows.
async function queryIn(
  instance: Instance,
  database: string,
  sql: string,
): Promise<Record<string, unknown>[]> {
  const session = await connect(instance, database);
  try {
    return (await session.query(sql))[0] as Record<string, unknown>[];
  } finally {
    await session.end();
  }
}

// The schemas the server holds (all of them, ours included).
async function listSchemas(instance: Instance): Promise<string[]> {
  const rows = await queryIn(instance, 'mysql', 'SHOW DATABASES');
  return rows.map((r) => String(r.Database));
}

test('SQL migrations run once: the next start is the migrated snapshot, and each schema has tables and rows', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  const cache = usePrivateCache(t);
  const dir = writeMigrations(t, { '001_schema.sql': SCHEMA_SQL, '002_seed.sql': SEED_SQL });
  const plain = await startLib(t, 'mariadb');
  const plainKey = snapshotOf(plain);
  await plain.stop();
  const first = await startLib(t, 'mariadb', { migrate: dir });
  const built = listMigrated(cache);
  assert.equal(built.length, 1, 'one migrated snapshot');
  await first.stop();

  await using second = await startLib(t, 'mariadb', { migrate: dir });
  assert.equal(snapshotOf(second), built[0]?.key);
  assert.notEqual(snapshotOf(second), plainKey);
  assert.deepEqual(listMigrated(cache), built, 'the second start ran no migration: nothing was rebuilt');
  await using db = await second.createDatabase();
  assert.match(db.url, /^mysql:\/\/root:[\w-]+@127\.0\.0\.1:\d+\/qdw_[0-9a-f]+$/);
  assert.equal(db.env.MYSQL_DATABASE, db.name);
  assert.deepEqual(await queryIn(second, db.name, 'SELECT id, name FROM child_names ORDER BY id'), [
    { id: 1, name: 'a' },
    { id: 2, name: 'b' },
    { id: 3, name: 'c' },
  ]);
  const session = await connect(second, db.name);
  try {
    await session.query('INSERT INTO child (parent_id) VALUES (1)');
    const [rows] = await session.query('SELECT id, doubled FROM child ORDER BY id DESC LIMIT 1');
    assert.deepEqual(rows, [{ id: 4, doubled: 8 }], 'AUTO_INCREMENT and the generated column were copied');
    await assert.rejects(session.query('INSERT INTO child (parent_id) VALUES (99)'), /foreign key/i);
  } finally {
    await session.end();
  }
});

test('each schema is isolated; the pool hands out each schema once and refills to its size', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  usePrivateCache(t);
  const dir = writeMigrations(t, { '001_schema.sql': SCHEMA_SQL, '002_seed.sql': SEED_SQL });
  await using instance = await startLib(t, 'mariadb', { migrate: dir, pool: 2 });
  await using a = await instance.createDatabase();
  await using b = await instance.createDatabase();
  assert.deepEqual([a.from, b.from], ['pool', 'pool'], 'the migrated snapshot shipped two pooled schemas');
  await queryIn(instance, a.name, "INSERT INTO parent (name) VALUES ('only in a')");
  assert.equal((await queryIn(instance, a.name, 'SELECT * FROM parent')).length, 4);
  assert.equal((await queryIn(instance, b.name, 'SELECT * FROM parent')).length, 3);
  await using named = await instance.createDatabase({ name: 'qdw_chosen' });
  assert.equal(named.from, 'clone');
  assert.equal((await queryIn(instance, 'qdw_chosen', 'SELECT * FROM child_names')).length, 3);
  await instance.settlePool();
  const listed = await instance.listDatabases();
  assert.equal(listed.filter((d) => d.pooled).length, 2, JSON.stringify(listed));
  assert.deepEqual(
    listed
      .filter((d) => !d.pooled)
      .map((d) => d.name)
      .sort(),
    [a.name, b.name, 'qdw_chosen'].sort(),
    'our template and bookkeeping schemas are not listed',
  );
  // Parallel claims of the same two pooled schemas: each is handed out once, the others are copied.
  const racing = await Promise.all([1, 2, 3, 4].map(() => instance.createDatabase()));
  assert.deepEqual(racing.map((d) => d.from).sort(), ['clone', 'clone', 'pool', 'pool']);
  assert.equal(new Set(racing.map((d) => d.name)).size, 4);
  await Promise.all(racing.map((d) => d.drop()));
});

test('drop removes a schema with a client in a transaction in it; await using drops at the end of the scope', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  await using instance = await startLib(t, 'mariadb');
  const db = await instance.createDatabase();
  assert.equal(db.from, 'clone');
  assert.deepEqual(await queryIn(instance, db.name, 'SHOW TABLES'), [], 'no migration: an empty schema');
  const session = await connect(instance, db.name);
  t.after(() => session.destroy());
  session.on('error', () => {});
  await session.query('CREATE TABLE t (v INT)');
  await session.query('START TRANSACTION');
  await session.query('INSERT INTO t VALUES (1)');
  await db.drop();
  assert.ok(!(await listSchemas(instance)).includes(db.name));
  await assert.rejects(session.query('SELECT 1'));
  let name = '';
  {
    await using scoped = await instance.createDatabase();
    name = scoped.name;
    assert.ok((await listSchemas(instance)).includes(name));
  }
  assert.ok(!(await listSchemas(instance)).includes(name));
  assert.deepEqual(await instance.listDatabases(), []);
});

test('a migration command gets the template schema in its env, made before it runs', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  usePrivateCache(t);
  const sql = 'CREATE TABLE from_command (v INT); INSERT INTO from_command VALUES (7)';
  const command = ['sh', '-c', `mariadb --no-defaults -u root "$MYSQL_DATABASE" -e "${sql}"`];
  await using instance = await startLib(t, 'mariadb', { migrate: { command } });
  await using db = await instance.createDatabase();
  assert.deepEqual(await queryIn(instance, db.name, 'SELECT v FROM from_command'), [{ v: 7 }]);
});

test('a failing SQL migration rejects naming the file, and caches nothing', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  const cache = usePrivateCache(t);
  const dir = writeMigrations(t, {
    '001_schema.sql': SCHEMA_SQL,
    '002_broken.sql': 'CREATE TABLE oops (;\n',
  });
  await assert.rejects(startLib(t, 'mariadb', { migrate: dir }), /002_broken\.sql/);
  assert.deepEqual(listMigrated(cache), []);
  const left = readdirSync(join(cache, 'snapshots')).filter((n) => !n.startsWith('.'));
  assert.equal(left.length, 1, `only the plain snapshot: ${left.join(', ')}`);
});

const PROGRAMS_SQL = `
CREATE TABLE item (id INT AUTO_INCREMENT PRIMARY KEY, price INT NOT NULL);
CREATE TABLE audit (seq INT AUTO_INCREMENT PRIMARY KEY, item_id INT NOT NULL, what VARCHAR(20) NOT NULL);
CREATE TABLE tick (at DATETIME NOT NULL);
INSERT INTO item (price) VALUES (10);
CREATE FUNCTION with_tax(p INT) RETURNS INT DETERMINISTIC RETURN p * 2;
CREATE PROCEDURE add_item(IN p INT) BEGIN INSERT INTO item (price) VALUES (p); END;
CREATE TRIGGER item_audit AFTER INSERT ON item FOR EACH ROW INSERT INTO audit (item_id, what) VALUES (NEW.id, 'added');
CREATE TRIGGER item_audit_too AFTER INSERT ON item FOR EACH ROW FOLLOWS item_audit
  INSERT INTO audit (item_id, what) VALUES (NEW.id, 'then');
CREATE TRIGGER item_audit_first AFTER INSERT ON item FOR EACH ROW PRECEDES \`item_audit\`
  INSERT INTO audit (item_id, what) VALUES (NEW.id, 'first');
CREATE VIEW priced AS SELECT id, with_tax(price) AS gross FROM item;
CREATE EVENT ticking ON SCHEDULE EVERY 1 SECOND DO INSERT INTO tick VALUES (NOW());
`;

// That a per-test schema's trigger, procedure, function, view and event each work there, on its own tables.
async function checkPrograms(instance: Instance, name: string): Promise<void> {
  const session = await connect(instance, name);
  try {
    await session.query('CALL add_item(21)');
    const [audit] = await session.query('SELECT item_id, what FROM audit ORDER BY seq');
    assert.deepEqual(
      audit,
      [
        { item_id: 2, what: 'first' },
        { item_id: 2, what: 'added' },
        { item_id: 2, what: 'then' },
      ],
      `${name}: the procedure inserted, the triggers fired in their order, the template's row was copied without firing them`,
    );
    const [gross] = await session.query('SELECT id, gross FROM priced ORDER BY id');
    assert.deepEqual(gross, [
      { id: 1, gross: 20 },
      { id: 2, gross: 42 },
    ]);
    const [events] = await session.query(
      'SELECT EVENT_NAME AS e FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?',
      [name],
    );
    assert.deepEqual(events, [{ e: 'ticking' }], `${name}: the event was copied`);
    const ticks = async () =>
      ((await session.query('SELECT COUNT(*) AS n FROM tick'))[0] as { n: number }[])[0]?.n;
    await waitFor(`the event ticking in ${name}`, async () => Number(await ticks()) > 0, 30_000, 100);
  } finally {
    await session.end();
  }
}

test('triggers, procedures, functions, views and events come along into each per-test schema', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  usePrivateCache(t);
  const dir = writeMigrations(t, { '001_programs.sql': PROGRAMS_SQL });
  await using instance = await startLib(t, 'mariadb', { migrate: dir, pool: 1 });
  await queryIn(instance, 'mysql', 'SET GLOBAL event_scheduler = ON');
  await using pooled = await instance.createDatabase();
  await using cloned = await instance.createDatabase({ name: 'qdw_cloned' });
  assert.deepEqual([pooled.from, cloned.from], ['pool', 'clone']);
  await checkPrograms(instance, pooled.name);
  await checkPrograms(instance, cloned.name);
});

test('a template object per-test schemas cannot copy (a sequence) fails the build naming it; nothing is cached', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  const cache = usePrivateCache(t);
  const dir = writeMigrations(t, { '001_seq.sql': 'CREATE TABLE t (v INT);\nCREATE SEQUENCE ticket_no;\n' });
  await assert.rejects(
    startLib(t, 'mariadb', { migrate: dir }),
    /per-test schemas cannot copy ticket_no of quickdb_template: a sequence/,
  );
  assert.deepEqual(listMigrated(cache), []);
});
