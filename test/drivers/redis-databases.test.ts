// Redis per-test databases: an index per test, isolated, flushed on drop, claimed without collisions, bounded.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { openRedisAdmin } from '../../dist/drivers/redis/admin.js';
import type { Instance } from '../../dist/index.js';
import { ROOT } from '../helpers/env.js';
import { killIfRunning } from '../helpers/proc.js';
import { requireEngine, runCli, startCli, startLib } from './db.js';

// An ioredis client on a URL, disconnected after the test.
function connect(t: { after(fn: () => void): void }, url: string): Redis {
  const client = new Redis(url, { lazyConnect: false, retryStrategy: () => null });
  client.on('error', () => {});
  t.after(() => client.disconnect());
  return client;
}

// The admin over an instance's connection, as another process would open it; closed after the test.
async function openAdmin(t: { after(fn: () => Promise<void>): void }, instance: Instance) {
  const admin = await openRedisAdmin({ url: instance.url, env: instance.env });
  t.after(() => admin.close());
  return admin;
}

test('two databases are two different indexes; data in one is seen in neither the other nor db 0', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  await using instance = await startLib(t, 'redis');
  await using a = await instance.createDatabase();
  await using b = await instance.createDatabase();
  assert.match(a.name, /^\d+$/);
  assert.notEqual(a.name, b.name);
  assert.notEqual(a.name, '0');
  assert.equal(a.env.REDIS_DB, a.name);
  assert.equal(a.env.REDIS_URL, a.url);
  assert.equal(a.url, `${instance.url}/${a.name}`);
  const [ca, cb, c0] = [connect(t, a.url), connect(t, b.url), connect(t, instance.url as string)];
  await ca.set('k', 'in-a');
  assert.equal(await ca.get('k'), 'in-a');
  assert.equal(await cb.get('k'), null);
  assert.equal(await c0.get('k'), null);
  assert.deepEqual((await instance.listDatabases()).map((d) => d.name).sort(), [a.name, b.name].sort());
});

test('TCP: the URL carries the index as its path', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  await using instance = await startLib(t, 'redis', { port: 0 });
  await using db = await instance.createDatabase();
  assert.equal(db.url, `${instance.url}/${db.name}`);
  const client = connect(t, db.url);
  await client.set('k', 'tcp');
  assert.equal(await connect(t, instance.url as string).get('k'), null);
  assert.equal(await client.get('k'), 'tcp');
});

test('drop flushes the index with a client still on it; the next claim of that index starts empty', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  await using instance = await startLib(t, 'redis');
  const db = await instance.createDatabase();
  const client = connect(t, db.url);
  await client.mset('a', '1', 'b', '2');
  await db.drop();
  assert.equal(await client.dbsize(), 0, 'the open client sees the flushed index');
  assert.deepEqual(await instance.listDatabases(), []);
  await using again = await instance.createDatabase();
  assert.equal(again.name, db.name, 'the lowest free index is claimed again');
  assert.equal(await connect(t, again.url).dbsize(), 0);
});

test('claims from two admins at once never collide', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  await using instance = await startLib(t, 'redis');
  const [one, two] = [await openAdmin(t, instance), await openAdmin(t, instance)];
  const created = await Promise.all(
    [one, two, one, two, one, two, one, two, one, two].map((a) => a.create()),
  );
  const names = created.map((c) => c.name);
  assert.equal(new Set(names).size, 10, `duplicates in ${names}`);
  assert.deepEqual((await one.list()).map((d) => d.name).sort(), [...names].sort());
});

// A node child that opens an admin, says "ready", waits for a line on stdin, then claims `count` indexes at once.
function spawnClaimer(instance: Instance, count: number): ChildProcess {
  const admin = join(ROOT, 'dist', 'drivers', 'redis', 'admin.js');
  const code = `
    import { openRedisAdmin } from ${JSON.stringify(admin)};
    import { once } from 'node:events';
    const admin = await openRedisAdmin(JSON.parse(process.argv[1]));
    await admin.list();
    process.stdout.write('ready\\n');
    await once(process.stdin, 'data');
    const made = await Promise.all(Array.from({ length: ${count} }, () => admin.create()));
    process.stdout.write(JSON.stringify(made.map((m) => m.name)) + '\\n');
    await admin.close();
    process.exit(0);`;
  const args = ['--input-type=module', '-e', code, JSON.stringify({ url: instance.url, env: instance.env })];
  return spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
}

// Collect a child's stdout lines until it exits.
async function readLines(child: ChildProcess, onLine: (line: string) => void): Promise<void> {
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    buffered += d;
    for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
      onLine(buffered.slice(0, i));
      buffered = buffered.slice(i + 1);
    }
  });
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
}

test('claims from two processes released at the same moment never collide', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  await using instance = await startLib(t, 'redis');
  const children = [spawnClaimer(instance, 6), spawnClaimer(instance, 6)];
  t.after(() => {
    for (const c of children) killIfRunning(c.pid);
  });
  let ready = 0;
  const names: string[] = [];
  await Promise.all(
    children.map((child) =>
      readLines(child, (line) => {
        if (line !== 'ready') names.push(...(JSON.parse(line) as string[]));
        else if (++ready === children.length) for (const c of children) c.stdin?.end('go\n');
      }),
    ),
  );
  assert.equal(names.length, 12);
  assert.equal(new Set(names).size, 12, `duplicates in ${names}`);
});

test('a full server says its `databases` setting bounds it, and how to raise it', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  await using instance = await startLib(t, 'redis', { args: ['--databases', '4'] });
  const first = await instance.createDatabase();
  await using second = await instance.createDatabase();
  assert.deepEqual([first.name, second.name].sort(), ['1', '2']);
  await assert.rejects(instance.createDatabase(), (error: Error) => {
    assert.equal(error.name, 'QuickdbError');
    assert.match(error.message, /`databases` setting \(4\)/);
    assert.match(error.message, /-- --databases 64/);
    return true;
  });
  await first.drop();
  await using third = await instance.createDatabase();
  assert.equal(third.name, first.name);
});

test('pool: 2 keeps two indexes claimed ahead; a create takes one and the pool refills', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  await using instance = await startLib(t, 'redis', { pool: 2 });
  await instance.settlePool();
  const pooled = await instance.listDatabases();
  assert.deepEqual(
    pooled.map((d) => d.pooled),
    [true, true],
  );
  await using db = await instance.createDatabase();
  assert.equal(db.from, 'pool');
  assert.ok(pooled.some((d) => d.name === db.name));
  await instance.settlePool();
  const after = await instance.listDatabases();
  assert.equal(after.filter((d) => d.pooled).length, 2);
  assert.ok(after.some((d) => d.name === db.name && !d.pooled));
});

test('names: an index a caller picks must be a free per-test one; 0 and the claims index are never touched', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  await using instance = await startLib(t, 'redis');
  const admin = await openAdmin(t, instance);
  for (const bad of ['abc', '0', '15', '16', '-1', '1.5'])
    await assert.rejects(admin.create(bad), { name: 'UsageError', option: 'name', value: bad });
  await assert.rejects(admin.drop('0'), { name: 'UsageError', option: 'name' });
  await assert.rejects(admin.drop('15'), { name: 'UsageError', option: 'name' });
  assert.deepEqual(await admin.create('5'), { name: '5', from: 'clone' });
  await assert.rejects(admin.create('5'), { name: 'UsageError', message: /index 5 is in use/ });
  await admin.drop('5');
  await assert.rejects(admin.applySql('SELECT 1'), /Redis runs no migrations/);
  await assert.rejects(admin.sealTemplate(), /Redis runs no migrations/);
  await assert.rejects(admin.migrationTarget(), /Redis runs no migrations/);
});

test('library: a caller may pick a free index by name', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  await using instance = await startLib(t, 'redis');
  await using db = await instance.createDatabase({ name: '7' });
  assert.equal(db.name, '7');
  await assert.rejects(instance.createDatabase({ name: '7' }), { name: 'UsageError', option: 'name' });
  await assert.rejects(instance.createDatabase({ name: '0' }), { name: 'UsageError', option: 'name' });
});

test('CLI: db create|list|drop ID on redis; the name is the index', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  const info = await startCli(t, 'redis');
  const run = async (args: string[]) => {
    const result = await runCli(['db', ...args]);
    assert.equal(result.code, 0, result.stderr);
    return result.stdout.trim();
  };
  const created = JSON.parse(await run(['create', info.id, '--format', 'json'])) as {
    name: string;
    url: string;
  };
  assert.equal(created.url, `${info.url}/${created.name}`);
  assert.match(await run(['create', info.id, '--name', '9']), /:\d+\/9$/);
  assert.match(await run(['list', info.id]), new RegExp(`^${created.name} +no$`, 'm'));
  await run(['drop', info.id, created.name]);
  await run(['drop', info.id, '9']);
  assert.doesNotMatch(await run(['list', info.id]), /^\d/m);
  assert.equal((await runCli(['kill', info.id])).code, 0);
});
