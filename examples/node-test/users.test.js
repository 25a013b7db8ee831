// node:test example: `db.server` is the run's server, for what a test does beyond its own database.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDatabase } from 'quickdb-watcher/node-test';
import { connect } from './client.js';

const db = useDatabase({ migrate: 'migrations' });

test('users: the database is listed on the server while the test runs', async (t) => {
  const client = await connect(db, 'users.test.js', t.name);
  try {
    const names = (await db.server.listDatabases()).map((d) => d.name);
    assert.ok(names.includes(db.name), `${db.name} in ${names}`);
    const { rows } = await client.query('SELECT count(*)::int AS n FROM notes');
    assert.equal(rows[0].n, 0);
  } finally {
    await client.end();
  }
});
