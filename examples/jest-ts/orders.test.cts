// jest example (ts-jest): each test gets its own migrated database, typed.
import { expect, test } from '@jest/globals';
import { useDatabase } from 'quickdb-watcher/jest';
import { connect } from './client.cjs';

const db = useDatabase();

test('orders (ts-jest): the database is this test’s own', async () => {
  const client = await connect(db);
  try {
    const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');
    expect(rows[0]?.name).toBe(db.name);
  } finally {
    await client.end();
  }
});
