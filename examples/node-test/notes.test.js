// node:test example: each test gets its own migrated database; nothing one test writes reaches another.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDatabase } from 'quickdb-watcher/node-test';
import { connect } from './client.js';

// Under `node --test`, the files of the run share one server (migrated once); each test gets a database of its own.
const db = useDatabase({ migrate: 'migrations' });

test('notes: the migrated table starts empty, takes a row', async (t) => {
  const client = await connect(db, 'notes.test.js', t.name);
  try {
    await client.query("INSERT INTO notes (body) VALUES ('first')");
    const { rows } = await client.query('SELECT body FROM notes');
    assert.deepEqual(rows, [{ body: 'first' }]); // only this test's row: a fresh database
  } finally {
    await client.end();
  }
});

test('notes: another test, another database', async (t) => {
  const client = await connect(db, 'notes.test.js', t.name);
  try {
    await client.query("INSERT INTO notes (body) VALUES ('second'), ('third')");
    const { rows } = await client.query('SELECT count(*)::int AS n FROM notes');
    assert.equal(rows[0].n, 2);
  } finally {
    await client.end();
  }
});
