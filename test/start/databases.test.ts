// Per-test PostgreSQL databases: isolated clones of the migrated template, a warm pool under parallel demand, drops
// that end open sessions, kept databases, and nothing left when the requester is SIGKILLed with databases in use.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { type InstanceInfo, UsageError } from '../../dist/index.js';
import { startLib, takeFootprint, waitFootprintGone } from '../drivers/db.js';
import { ROOT, stateRoot } from '../helpers/env.js';
import { registerCleanup, startFixture } from '../helpers/instance.js';
import { waitFor } from '../helpers/poll.js';
import { makeProject, makeSchemaSql } from './migrate-kit.js';

// Run one query on the database at url and return its rows.
async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

test('each test database is its own clone of the migrated template; writes stay in it', async (t) => {
  const project = makeProject(t, { '001.sql': makeSchemaSql(`iso-${Date.now()}`) });
  await using server = await startLib(t, 'postgresql', { migrate: join(project, 'migrations') });
  await using a = await server.createDatabase();
  await using b = await server.createDatabase({ name: 'named_one' });
  assert.notEqual(a.name, b.name);
  assert.equal(b.name, 'named_one');
  assert.equal(a.env.PGDATABASE, a.name);
  assert.equal(a.env.DATABASE_URL, a.url);
  await query(a.url, "INSERT INTO t1 (name) VALUES ('only-in-a')");
  assert.equal((await query(a.url, 'SELECT count(*)::int AS n FROM t1'))[0]?.n, 11);
  assert.equal((await query(b.url, 'SELECT count(*)::int AS n FROM t1'))[0]?.n, 10);
  assert.equal((await query(server.url as string, 'SELECT count(*)::int AS n FROM t1'))[0]?.n, 10);
});

test('an instance without migrations still gives empty test databases', async (t) => {
  await using server = await startLib(t, 'postgresql');
  await using db = await server.createDatabase();
  assert.deepEqual(await query(db.url, 'SELECT 1 AS one'), [{ one: 1 }]);
});

test('drop() removes a database that clients are still connected to; await using drops at scope end', async (t) => {
  await using server = await startLib(t, 'postgresql');
  const db = await server.createDatabase();
  const client = new pg.Client({ connectionString: db.url });
  client.on('error', () => {});
  await client.connect();
  await db.drop();
  assert.ok(!(await server.listDatabases()).some((d) => d.name === db.name), 'gone from the server');
  await assert.rejects(client.query('SELECT 1'), 'its session was ended');
  await client.end().catch(() => {});
  let name = '';
  {
    await using scoped = await server.createDatabase();
    name = scoped.name;
    assert.ok((await server.listDatabases()).some((d) => d.name === name));
  }
  assert.ok(!(await server.listDatabases()).some((d) => d.name === name), 'dropped when the scope ended');
});

test('keep(): the database survives dispose, its URL is printed, and it goes with the server', async (t) => {
  const server = await startLib(t, 'postgresql');
  const written: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stderr.write;
  let url = '';
  try {
    await using db = await server.createDatabase();
    url = db.keep();
  } finally {
    process.stderr.write = write;
  }
  assert.ok(
    written.some((w) => w.includes(url) && w.includes('kept database')),
    written.join(''),
  );
  assert.deepEqual(await query(url, 'SELECT 2 AS two'), [{ two: 2 }]);
  const fp = takeFootprint(server.info);
  await server.stop();
  await waitFootprintGone(fp);
});

test('a warm pool of 3 under 10 parallel requests: all distinct and migrated, then refilled to 3', async (t) => {
  const project = makeProject(t, { '001.sql': makeSchemaSql(`pool-${Date.now()}`) });
  await using server = await startLib(t, 'postgresql', { migrate: join(project, 'migrations'), pool: 3 });
  await server.settlePool();
  assert.equal((await server.listDatabases()).filter((d) => d.pooled).length, 3, 'filled at start');
  const dbs = await Promise.all(Array.from({ length: 10 }, () => server.createDatabase()));
  assert.equal(new Set(dbs.map((d) => d.name)).size, 10);
  assert.ok(dbs.filter((d) => d.from === 'pool').length >= 3, dbs.map((d) => d.from).join(' '));
  for (const db of dbs) assert.equal((await query(db.url, 'SELECT count(*)::int AS n FROM t2'))[0]?.n, 10);
  await server.settlePool();
  assert.equal((await server.listDatabases()).filter((d) => d.pooled).length, 3, 'refilled');
  await Promise.all(dbs.map((d) => d.drop()));
});

test('bad input: a command server has no databases; a bad name is refused', async (t) => {
  const { instance } = await startFixture(t);
  await assert.rejects(instance.createDatabase(), UsageError);
  await instance.stop();
  await using server = await startLib(t, 'postgresql');
  await assert.rejects(server.createDatabase({ name: 'Robert"); DROP' }), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.equal(e.option, 'name');
    return true;
  });
});

test('SIGKILL of the requester with test databases in use: server, data dir and shared memory all go', async (t) => {
  const project = makeProject(t, { '001.sql': makeSchemaSql(`kill-${Date.now()}`) });
  const script = `import { startServer } from ${JSON.stringify(join(ROOT, 'dist', 'index.js'))};
import pg from ${JSON.stringify(join(ROOT, 'node_modules', 'pg', 'lib', 'index.js'))};
const s = await startServer({ migrate: 'migrations', pool: 2, stateRoot: ${JSON.stringify(stateRoot())} });
const clients = [];
for (let i = 0; i < 3; i++) {
  const db = await s.createDatabase();
  const c = new pg.Client({ connectionString: db.url }); await c.connect(); await c.query('BEGIN; INSERT INTO t1 (name) VALUES (1)');
  clients.push(c);
}
console.log(JSON.stringify(s.info));
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: project,
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  let info: InstanceInfo | null = null;
  registerCleanup(t, () => info);
  t.after(() => child.kill('SIGKILL'));
  await waitFor('the child to report its instance', () => out.includes('\n'), 120_000);
  info = JSON.parse(out) as InstanceInfo;
  const fp = takeFootprint(info);
  assert.ok(fp.pids.length >= 6, 'postmaster, workers and three busy backends');
  child.kill('SIGKILL');
  await waitFootprintGone(fp);
  await waitFor('the state dir to go', () => !existsSync(info?.stateDir as string), 20_000);
});

test('a test database outliving its stopped server: drop() and dispose resolve (it went with the server)', async (t) => {
  const server = await startLib(t, 'postgresql');
  await using db = await server.createDatabase();
  await server.stop();
  await db.drop();
});
