// node:test example: each test gets its own migrated database; nothing one test writes reaches another.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDatabase } from 'quickdb-watcher/node-test';
import { connect } from './client.js';

const db = useDatabase({ migrate: 'migrations' });

test('orders: the migrated constraint holds', async (t) => {
  const client = await connect(db, 'orders.test.js', t.name);
  try {
    await assert.rejects(client.query("INSERT INTO orders (item, qty) VALUES ('pen', 0)"), /check/);
    const { rows } = await client.query('SELECT count(*)::int AS n FROM orders');
    assert.equal(rows[0].n, 0);
  } finally {
    await client.end();
  }
});

test('orders: rows written here are this test’s alone', async (t) => {
  const client = await connect(db, 'orders.test.js', t.name);
  try {
    await client.query("INSERT INTO orders (item, qty) VALUES ('pen', 2), ('ink', 1)");
    const { rows } = await client.query('SELECT sum(qty)::int AS total FROM orders');
    assert.equal(rows[0].total, 3);
  } finally {
    await client.end();
  }
});
