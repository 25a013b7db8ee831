// jest example (ESM): each test gets its own migrated database on its worker's server.
import { useDatabase } from 'quickdb-watcher/jest';
import { connect } from './client.js';

const db = useDatabase();

test('notes (esm): a fresh database per test', async () => {
  const client = await connect(db);
  try {
    await client.query("INSERT INTO notes (body) VALUES ('first')");
    const { rows } = await client.query('SELECT count(*)::int AS n FROM notes');
    expect(rows[0].n).toBe(1);
  } finally {
    await client.end();
  }
});
