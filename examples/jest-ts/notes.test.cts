// jest example (ts-jest): each test gets its own migrated database, typed.
import { expect, test } from '@jest/globals';
import { useDatabase } from 'quickdb-watcher/jest';
import { connect } from './client.cjs';

const db = useDatabase();

test('notes (ts-jest): a fresh database per test', async () => {
  const client = await connect(db);
  try {
    await client.query("INSERT INTO notes (body) VALUES ('first')");
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM notes');
    expect(rows[0]?.n).toBe(1);
  } finally {
    await client.end();
  }
});
