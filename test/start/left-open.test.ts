// dropAfterTest with a real client still connected (issue 23): the database is left, the client is not cut off, and
// one warning names the session and the fix; with no client left, it drops as before. PostgreSQL and MariaDB.
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Instance } from '../../dist/index.js';
import { requireEngine, startLib } from '../drivers/db.js';

// Run fn and return what it wrote to stderr (the warning goes there).
async function captureStderr(fn: () => Promise<void>): Promise<string> {
  let text = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = write;
  }
  return text;
}

// Start the engine, leave `connect`'s client on a per-test database, and check what dropAfterTest does.
async function checkLeftOpen(
  t: TestContext,
  server: Instance,
  connect: (
    url: string,
  ) => Promise<{ ask: () => Promise<unknown>; end: () => Promise<void>; errors: unknown[] }>,
  named: RegExp,
): Promise<void> {
  const db = await server.createDatabase();
  const client = await connect(db.url);
  t.after(() => client.end().catch(() => {}));
  await client.ask();
  const warning = await captureStderr(() => db.dropAfterTest());
  assert.match(warning, new RegExp(`left 1 connection open to its database ${db.name}`), warning);
  assert.match(warning, named, warning);
  assert.match(warning, /await client\.end\(\)/, warning);
  await client.ask(); // still connected: nothing was cut off under it
  assert.deepEqual(client.errors, []);
  assert.ok(
    (await server.listDatabases()).some((d) => d.name === db.name),
    'the database is left in place',
  );
  await client.end();
  const clean = await server.createDatabase();
  assert.equal(await captureStderr(() => clean.dropAfterTest()), '', 'no client left: no warning');
  assert.ok(!(await server.listDatabases()).some((d) => d.name === clean.name), 'and it is dropped');
}

test('PostgreSQL: a pg client left open is named (application, last query) and not cut off', async (t) => {
  if (!requireEngine(t, 'postgresql')) return;
  await using server = await startLib(t, 'postgresql');
  await checkLeftOpen(
    t,
    server,
    async (url) => {
      const errors: unknown[] = [];
      const client = new pg.Client({ connectionString: url, application_name: 'left-open-lib' });
      client.on('error', (e) => errors.push(e));
      await client.connect();
      return { ask: () => client.query('SELECT 42 AS left_behind'), end: () => client.end(), errors };
    },
    /application "left-open-lib".*idle.*last query "SELECT 42 AS left_behind"/,
  );
});

test('MariaDB: a mysql2 connection left open is named and not cut off', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  await using server = await startLib(t, 'mariadb');
  await checkLeftOpen(
    t,
    server,
    async (url) => {
      const errors: unknown[] = [];
      const client = await mysql.createConnection(url);
      client.on('error', (e) => errors.push(e));
      return { ask: () => client.query('SELECT 42'), end: () => client.end(), errors };
    },
    /session \d+ from .*sleep/,
  );
});
