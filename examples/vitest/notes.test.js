// vitest example: each test gets its own migrated database (the `db` fixture); nothing one test writes reaches another.

import { test } from 'quickdb-watcher/vitest';
import { expect } from 'vitest';
import { connect } from './client.js';

test('notes: the migrated table starts empty, takes a row', async ({ db, task }) => {
  const client = await connect(db, task);
  try {
    await client.query("INSERT INTO notes (body) VALUES ('first')");
    const { rows } = await client.query('SELECT body FROM notes');
    expect(rows).toEqual([{ body: 'first' }]); // only this test's row: a fresh database
  } finally {
    await client.end();
  }
});

test('notes: another test, another database', async ({ db, task }) => {
  const client = await connect(db, task);
  try {
    await client.query("INSERT INTO notes (body) VALUES ('second'), ('third')");
    const { rows } = await client.query('SELECT count(*)::int AS n FROM notes');
    expect(rows[0].n).toBe(2);
  } finally {
    await client.end();
  }
});
