// node:test recipe: a test file with its own server; "CREATE TABLE" (no IF NOT EXISTS) proves nobody else wrote here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDatabase } from './db.js';

const db = useDatabase(import.meta.filename);

test('users: creates a table, writes and reads it back', async () => {
  await db.client.query('CREATE TABLE items (name text)');
  await db.client.query("INSERT INTO items VALUES ('users-1'), ('users-2')");
  const { rows } = await db.client.query('SELECT name FROM items ORDER BY name');
  assert.deepEqual(
    rows.map((r) => r.name),
    ['users-1', 'users-2'],
  );
});
