// jest example: a test file using the database's env (PGDATABASE…) and name, as a client configured by env would.
const { useDatabase } = require('quickdb-watcher/jest');
const { connect } = require('./client.cjs');

const db = useDatabase();

test('users: env and name point at this test database', async () => {
  expect(db.env.PGDATABASE).toBe(db.name);
  const client = await connect(db);
  try {
    const { rows } = await client.query('SELECT current_database() AS name');
    expect(rows[0].name).toBe(db.name);
  } finally {
    await client.end();
  }
});
