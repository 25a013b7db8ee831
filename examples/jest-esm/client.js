// jest example (ESM): a pg client on this test's own database (and this repo's CI report of which one it was).
import { basename } from 'node:path';
import pg from 'pg';
import { reportTest } from '../report.cjs'; // this repo's CI only: drop it in your copy

// Connect to the current test's database (useDatabase() of quickdb-watcher/jest); the caller ends the client.
export async function connect(db) {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const { testPath, currentTestName } = expect.getState(); // CI only
  await reportTest(client, process.env.JEST_WORKER_ID, basename(testPath), currentTestName);
  return client;
}
