// vitest example: each test gets its own migrated database (the `db` fixture); nothing one test writes reaches another.

import { test } from 'quickdb-watcher/vitest';
import { expect } from 'vitest';
import { connect } from './client.js';

test('orders: the migrated constraint holds', async ({ db, task }) => {
  const client = await connect(db, task);
  try {
    await expect(client.query("INSERT INTO orders (item, qty) VALUES ('pen', 0)")).rejects.toThrow(/check/);
    const { rows } = await client.query('SELECT count(*)::int AS n FROM orders');
    expect(rows[0].n).toBe(0);
  } finally {
    await client.end();
  }
});

test('orders: rows written here are this test’s alone', async ({ db, task }) => {
  const client = await connect(db, task);
  try {
    await client.query("INSERT INTO orders (item, qty) VALUES ('pen', 2), ('ink', 1)");
    const { rows } = await client.query('SELECT sum(qty)::int AS total FROM orders');
    expect(rows[0].total).toBe(3);
  } finally {
    await client.end();
  }
});
