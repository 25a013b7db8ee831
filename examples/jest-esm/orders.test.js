// jest example (ESM): each test gets its own migrated database on its worker's server.
import { useDatabase } from 'quickdb-watcher/jest';
import { connect } from './client.js';

const db = useDatabase();

test('orders (esm): the migrated CHECK refuses a zero quantity', async () => {
  const client = await connect(db);
  try {
    await expect(client.query("INSERT INTO orders (item, qty) VALUES ('tea', 0)")).rejects.toThrow(/check/);
  } finally {
    await client.end();
  }
});
