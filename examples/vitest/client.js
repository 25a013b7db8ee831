// vitest example: a pg client on this test's own database (and this repo's CI report of which one it was).
import { basename } from 'node:path';
import pg from 'pg';
import { reportTest } from '../report.cjs'; // this repo's CI only: drop it in your copy

// Connect to the test's database; the caller ends the client.
export async function connect(db, task) {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await reportTest(client, process.env.VITEST_POOL_ID, basename(task.file.name), task.name); // CI only
  return client;
}
