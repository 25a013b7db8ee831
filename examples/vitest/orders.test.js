// vitest recipe: a test file on its worker's server; the table is private to this file and dropped at the end.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { connect } from './db.js';

let client;
beforeAll(async () => {
  client = await connect(import.meta.filename);
});
afterAll(async () => {
  await client?.query('DROP TABLE IF EXISTS orders');
  await client?.end();
});

test('orders: creates a table, writes and reads it back', async () => {
  await client.query('CREATE TABLE orders (name text)');
  await client.query("INSERT INTO orders VALUES ('orders-1'), ('orders-2')");
  const { rows } = await client.query('SELECT name FROM orders ORDER BY name');
  expect(rows.map((r) => r.name)).toEqual(['orders-1', 'orders-2']);
});
