// vitest recipe: a test file on its worker's server; the table is private to this file and dropped at the end.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { connect } from './db.js';

let client;
beforeAll(async () => {
  client = await connect(import.meta.filename);
});
afterAll(async () => {
  await client?.query('DROP TABLE IF EXISTS notes');
  await client?.end();
});

test('notes: creates a table, writes and reads it back', async () => {
  await client.query('CREATE TABLE notes (name text)');
  await client.query("INSERT INTO notes VALUES ('notes-1'), ('notes-2')");
  const { rows } = await client.query('SELECT name FROM notes ORDER BY name');
  expect(rows.map((r) => r.name)).toEqual(['notes-1', 'notes-2']);
});
