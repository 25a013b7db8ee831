// vitest recipe: a test file on its worker's server; the table is private to this file and dropped at the end.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { connect } from './db.js';

let client;
beforeAll(async () => {
  client = await connect(import.meta.filename);
});
afterAll(async () => {
  await client?.query('DROP TABLE IF EXISTS users');
  await client?.end();
});

test('users: creates a table, writes and reads it back', async () => {
  await client.query('CREATE TABLE users (name text)');
  await client.query("INSERT INTO users VALUES ('users-1'), ('users-2')");
  const { rows } = await client.query('SELECT name FROM users ORDER BY name');
  expect(rows.map((r) => r.name)).toEqual(['users-1', 'users-2']);
});
