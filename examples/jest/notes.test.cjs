// jest example: each test gets its own migrated database; nothing one test writes reaches another.
const { useDatabase } = require('quickdb-watcher/jest');
const { connect } = require('./client.cjs');

const db = useDatabase(); // a fresh database before each test, dropped after it

test('notes: the migrated table starts empty, takes a row', async () => {
  const client = await connect(db);
  try {
    await client.query("INSERT INTO notes (body) VALUES ('first')");
    const { rows } = await client.query('SELECT body FROM notes');
    expect(rows).toEqual([{ body: 'first' }]); // only this test's row: a fresh database
  } finally {
    await client.end();
  }
});

test('notes: another test, another database', async () => {
  const client = await connect(db);
  try {
    await client.query("INSERT INTO notes (body) VALUES ('second'), ('third')");
    const { rows } = await client.query('SELECT count(*)::int AS n FROM notes');
    expect(rows[0].n).toBe(2);
  } finally {
    await client.end();
  }
});
