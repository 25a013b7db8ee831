// vitest example: the `server` fixture gives the worker's server, for what a test does beyond its own database.

import { test } from 'quickdb-watcher/vitest';
import { expect } from 'vitest';
import { connect } from './client.js';

test('users: the database is listed on the server while the test runs', async ({ db, server, task }) => {
  const client = await connect(db, task);
  try {
    const names = (await server.listDatabases()).map((d) => d.name);
    expect(names).toContain(db.name);
    const { rows } = await client.query('SELECT count(*)::int AS n FROM notes');
    expect(rows[0].n).toBe(0);
  } finally {
    await client.end();
  }
});
