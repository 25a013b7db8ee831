// jest example: each test gets its own migrated database; the schema's constraints come from ./migrations.
const { useDatabase } = require('quickdb-watcher/jest');
const { connect } = require('./client.cjs');

const db = useDatabase();

test('orders: a valid order is stored', async () => {
  const client = await connect(db);
  try {
    await client.query("INSERT INTO orders (item, qty) VALUES ('tea', 2)");
    const { rows } = await client.query('SELECT item, qty FROM orders');
    expect(rows).toEqual([{ item: 'tea', qty: 2 }]);
  } finally {
    await client.end();
  }
});

test('orders: the migrated CHECK refuses a zero quantity', async () => {
  const client = await connect(db);
  try {
    await expect(client.query("INSERT INTO orders (item, qty) VALUES ('tea', 0)")).rejects.toThrow(/check/);
    const { rows } = await client.query('SELECT count(*)::int AS n FROM orders');
    expect(rows[0].n).toBe(0);
  } finally {
    await client.end();
  }
});
