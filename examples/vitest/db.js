// vitest recipe: connect to this worker's own server (VITEST_POOL_ID runs from 1 to maxWorkers).
import { basename } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { reportTest } from '../report.cjs'; // this repo's CI only: drop it in your copy

export const worker = Number(process.env.VITEST_POOL_ID);

// A client for the server of the worker running this test file; files on the same worker share it, one at a time.
export async function connect(file) {
  const client = new pg.Client({ connectionString: inject('databaseUrls')[worker - 1] });
  await client.connect();
  await reportTest(client, worker, basename(file));
  return client;
}
