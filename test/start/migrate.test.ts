// Migrations run once per content: SQL files, a command (and a real ORM tool, knex), a function; cached as a
// migrated snapshot, rebuilt once when an input changes, built once by parallel workers, never cached half-done.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { type Instance, startServer, UsageError } from '../../dist/index.js';
import { dbOptions, startLib } from '../drivers/db.js';
import { ROOT, scratchDir } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { isRunning, killIfRunning } from '../helpers/proc.js';
import { listMigratedSnapshots, makeProject, makeSchemaSql, runNodeScript } from './migrate-kit.js';

const PG_MODULE = JSON.stringify(join(ROOT, 'node_modules', 'pg', 'lib', 'index.js'));

// Count the rows of a table in the database at url.
async function countRows(url: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  } finally {
    await client.end();
  }
}

function snapshotOf(instance: Instance): string {
  return String((instance.info.server?.dataDir as { snapshot?: string } | undefined)?.snapshot);
}

test('SQL files: run once, cached as a migrated snapshot; the next start and every test database are migrated', async (t) => {
  const project = makeProject(t, {
    '001_schema.sql': makeSchemaSql('sql-once'),
    '002_more.sql': 'CREATE TABLE extra (id int);\n',
  });
  const first = await startLib(t, 'postgresql', { migrate: join(project, 'migrations') });
  assert.equal(await countRows(first.url as string, 't1'), 10, 'the instance database itself is migrated');
  const cache = process.env.QUICKDB_WATCHER_CACHE as string;
  const key = snapshotOf(first);
  assert.ok(
    listMigratedSnapshots(cache).some((s) => s.key === key),
    `${key} is a migrated snapshot`,
  );
  await first.stop();

  await using second = await startLib(t, 'postgresql', { migrate: { sql: join(project, 'migrations') } });
  assert.equal(snapshotOf(second), key, 'the same content starts from the same migrated snapshot');
  await using db = await second.createDatabase();
  assert.equal(await countRows(db.url, 't3'), 10);
  assert.equal(await countRows(db.url, 'extra'), 0);
});

test('a function runs once per key: the second start calls it 0 times; a new key runs it again', async (t) => {
  let calls = 0;
  const key = `fn-${Date.now()}-${Math.random()}`;
  const migrate = async (url: string, env: Record<string, string>) => {
    calls++;
    assert.equal(env.DATABASE_URL, url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE from_fn (v int); INSERT INTO from_fn VALUES (1), (2)');
    await client.end();
  };
  const a = await startLib(t, 'postgresql', { migrate, migrateKey: key });
  await a.stop();
  const b = await startLib(t, 'postgresql', { migrate, migrateKey: key });
  assert.equal(calls, 1, 'the second start ran no migration');
  assert.equal(await countRows(b.url as string, 'from_fn'), 2);
  await b.stop();
  const c = await startLib(t, 'postgresql', { migrate, migrateKey: `${key}-v2` });
  assert.equal(calls, 2, 'a new key migrates again');
  await c.stop();
});

test('editing one migration builds a new snapshot once; the old one stays until pruned', async (t) => {
  const project = makeProject(t, { '001.sql': makeSchemaSql(`edit-${Date.now()}`) });
  const dir = join(project, 'migrations');
  const a = await startLib(t, 'postgresql', { migrate: dir });
  const before = snapshotOf(a);
  await a.stop();
  writeFileSync(join(dir, '002.sql'), 'CREATE TABLE added_later (id int);\n');
  const b = await startLib(t, 'postgresql', { migrate: dir });
  const after = snapshotOf(b);
  assert.notEqual(after, before, 'changed content, new snapshot');
  assert.equal(await countRows(b.url as string, 'added_later'), 0);
  await b.stop();
  const c = await startLib(t, 'postgresql', { migrate: dir });
  assert.equal(snapshotOf(c), after, 'and it is reused');
  await c.stop();
  const mine = listMigratedSnapshots(process.env.QUICKDB_WATCHER_CACHE as string).filter((s) =>
    [before, after].includes(s.key),
  );
  assert.equal(mine.length, 2);
});

test('three parallel workers with a command migration build it once; all get the migrated server', async (t) => {
  const project = makeProject(t);
  const counter = join(project, 'runs.txt');
  writeFileSync(
    join(project, 'migrate.mjs'),
    `import pg from ${PG_MODULE};
import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(counter)}, 'run\\n');
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
await client.query("CREATE TABLE by_command (v text); INSERT INTO by_command VALUES ('${Date.now()}')");
await client.end();
`,
  );
  const script = `import { startServer } from "qdw";
const s = await startServer({ migrate: { command: 'node migrate.mjs' }, migrateHash: 'migrate.mjs' });
const db = await s.createDatabase();
console.log(JSON.stringify({ url: db.url }));
await db.drop();
await s.stop();`;
  const env = dbOptions('postgresql') && { QUICKDB_WATCHER_STATE: process.env.QUICKDB_WATCHER_STATE };
  const runs = await Promise.all([1, 2, 3].map(() => runNodeScript(project, script, env)));
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  assert.equal(readFileSync(counter, 'utf8'), 'run\n', 'the command ran exactly once');
});

test('knex migrate:latest as the command: a real ORM migration tool, hashed by its migrations dir', async (t) => {
  const project = makeProject(t);
  writeFileSync(
    join(project, 'knexfile.cjs'),
    `module.exports = { client: 'pg', connection: process.env.DATABASE_URL, migrations: { directory: './migrations' } };\n`,
  );
  writeFileSync(
    join(project, 'migrations', '20260101000000_people.cjs'),
    `exports.up = (knex) => knex.schema.createTable('people', (t) => { t.increments('id'); t.string('name').index(); });
exports.down = (knex) => knex.schema.dropTable('people');
// ${Date.now()}
`,
  );
  const knex = join(ROOT, 'node_modules', 'knex', 'bin', 'cli.js');
  const script = `import { startServer } from "qdw";
const s = await startServer({ migrate: { command: ['node', ${JSON.stringify(knex)}, 'migrate:latest', '--knexfile', 'knexfile.cjs'] }, migrateHash: ['migrations', 'knexfile.cjs'] });
const db = await s.createDatabase();
console.log(JSON.stringify({ url: db.url, id: s.id }));
await s.stop({ keep: false });`;
  dbOptions('postgresql');
  const run = await runNodeScript(project, script, {
    NODE_PATH: join(ROOT, 'node_modules'),
  });
  assert.equal(run.code, 0, run.stderr);
  const again = await runNodeScript(
    project,
    script.replace(
      'console.log(JSON.stringify({ url: db.url, id: s.id }));',
      `
import pg from ${PG_MODULE};
const c = new pg.Client({ connectionString: db.url }); await c.connect();
const r = await c.query("SELECT count(*) AS n FROM knex_migrations");
console.log(JSON.stringify({ applied: Number(r.rows[0].n) })); await c.end();`,
    ),
    { NODE_PATH: join(ROOT, 'node_modules') },
  );
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /"applied":1/, 'knex recorded its one migration in the template');
  assert.doesNotMatch(again.stderr, /running the migrations/, 'the second run migrated nothing');
});

test('a failing migration rejects with its error and the file name; nothing is cached or left running', async (t) => {
  const project = makeProject(t, {
    '001_ok.sql': `CREATE TABLE fine_${Date.now()} (id int);\n`,
    '002_bad.sql': 'CREATE TABLE broken (id int;\n',
  });
  const cache = process.env.QUICKDB_WATCHER_CACHE as string;
  const before = existsSync(join(cache, 'snapshots')) ? listMigratedSnapshots(cache).length : 0;
  await assert.rejects(
    startServer(dbOptions('postgresql', { migrate: join(project, 'migrations') })),
    (e: Error) => {
      assert.match(e.message, /002_bad\.sql failed: syntax error/);
      return true;
    },
  );
  assert.equal(listMigratedSnapshots(cache).length, before, 'no migrated snapshot was saved');
  const cmd = await startServer(
    dbOptions('postgresql', { migrate: { command: 'echo oops-from-the-tool >&2; exit 3' } }),
  ).catch((e) => e);
  assert.match(String(cmd.message), /migration command failed \(exit 3\)/);
  assert.match(String(cmd.details), /oops-from-the-tool/);
});

test('bad input: each is a UsageError naming the option, before anything starts', async (t) => {
  const project = makeProject(t, { '001.sql': 'SELECT 1;\n' });
  const empty = scratchDir(t, 'empty-');
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ migrate: join(project, 'nope') }, 'migrate', /existing directory/],
    [{ migrate: empty }, 'migrate', /holds none/],
    [{ migrate: { command: 'no-such-program-qdw migrate' } }, 'migrate.command', /was not found/],
    [{ migrate: { command: 'true' }, migrateHash: '/etc/hostname' }, 'migrateHash', /outside the project/],
    [{ migrate: async () => {} }, 'migrateKey', /cannot be hashed/],
    [{ migrateHash: 'package.json' }, 'migrateHash', /only goes with/],
    [{ driver: 'redis', migrate: join(project, 'migrations') }, 'migrate', /runs no migrations/],
    [{ pool: 33 }, 'pool', /0 to 32/],
    [{ pool: -1 }, 'pool', /0 to 32/],
  ];
  for (const [options, option, allowed] of cases) {
    await assert.rejects(startServer(dbOptions('postgresql', options)), (e: unknown) => {
      assert.ok(e instanceof UsageError, `${option}: ${e}`);
      assert.equal(e.option, option);
      assert.match(e.message, allowed);
      return true;
    });
  }
});

test('SIGKILL of the requester mid-migration: the command, the build server and its dirs go; the next start builds', async (t) => {
  const project = makeProject(t);
  const seen = join(project, 'seen.txt');
  writeFileSync(
    join(project, 'slow.mjs'),
    `import { writeFileSync } from 'node:fs';
// ${Date.now()}
writeFileSync(${JSON.stringify(seen)}, process.pid + ' ' + process.env.PGPORT);
if (process.env.SLOW) setInterval(() => {}, 1000);
`,
  );
  const script = `import { startServer } from "qdw";
const s = await startServer({ migrate: { command: ['node', 'slow.mjs'] }, migrateHash: 'slow.mjs' });
console.log(JSON.stringify({ snapshot: s.info.server.dataDir.snapshot }));
await s.stop();`;
  dbOptions('postgresql');
  const env = { QUICKDB_WATCHER_STATE: process.env.QUICKDB_WATCHER_STATE };
  const running = runNodeScript(project, script, { ...env, SLOW: '1' });
  await waitFor('the migration command to start', () => existsSync(seen), 120_000);
  const [pid, port] = readFileSync(seen, 'utf8').split(' ') as [string, string];
  // The build instance's state dir: the one whose private socket is for that port.
  const root = String(process.env.QUICKDB_WATCHER_STATE);
  const buildStateDir = join(
    root,
    String(readdirSync(root).find((id) => existsSync(join(root, id, 'sock', `.s.PGSQL.${port}`)))),
  );
  assert.ok(existsSync(join(buildStateDir, 'spec.json')), 'the build instance is found by its socket');
  t.after(() => killIfRunning(Number(pid)));
  running.child.kill('SIGKILL');
  assert.equal((await running).signal, 'SIGKILL');
  await waitFor('the migration command to die with its requester', () => !isRunning(Number(pid)), 20_000);
  await waitFor('the build instance to be cleaned up', () => !existsSync(buildStateDir), 30_000);
  const again = await runNodeScript(project, script, env);
  assert.equal(again.code, 0, again.stderr);
  const { snapshot } = JSON.parse(again.stdout) as { snapshot: string };
  const dir = join(process.env.QUICKDB_WATCHER_CACHE as string, 'snapshots');
  assert.ok(existsSync(join(dir, snapshot, 'snapshot.json')), 'built on the second try');
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.startsWith('.build-') || n.endsWith('.lock')),
    [],
    'no build leftovers or locks',
  );
});

test('the newest 3 migrated snapshots of a project stay; an older one is pruned by the next build', async (t) => {
  const project = makeProject(t, { '001.sql': `CREATE TABLE v (id int); -- ${Date.now()}\n` });
  const dir = join(project, 'migrations');
  const keys: string[] = [];
  for (let version = 1; version <= 4; version++) {
    writeFileSync(join(dir, `${100 + version}.sql`), `CREATE TABLE v${version} (id int);\n`);
    const instance = await startLib(t, 'postgresql', { migrate: dir });
    keys.push(snapshotOf(instance));
    await instance.stop();
  }
  const left = listMigratedSnapshots(process.env.QUICKDB_WATCHER_CACHE as string).map((s) => s.key);
  assert.ok(!left.includes(keys[0] as string), 'the oldest is pruned');
  for (const key of keys.slice(1)) assert.ok(left.includes(key), `${key} stays`);
});

test('without snapshots the instance itself is migrated, every time, and nothing is cached', async (t) => {
  let calls = 0;
  const migrate = async (url: string) => {
    calls++;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE live (v int)');
    await client.end();
  };
  const key = `live-${Date.now()}`;
  for (let i = 0; i < 2; i++) {
    await using server = await startLib(t, 'postgresql', { migrate, migrateKey: key, snapshot: false });
    await using db = await server.createDatabase();
    assert.equal(await countRows(db.url, 'live'), 0);
  }
  assert.equal(calls, 2);
});
