// jest example (ts-jest): a pg client on this test's own database (and this repo's CI report of which one it was).
import { basename } from 'node:path';
import { expect } from '@jest/globals';
import pg from 'pg';
import type { JestDatabase } from 'quickdb-watcher/jest';

// this repo's CI only: drop it in your copy
const { reportServers, reportTest } = require('../report.cjs') as {
  reportServers: () => void;
  reportTest: (client: pg.Client, worker: unknown, file: string, test: unknown) => Promise<void>;
};

// Connect to the current test's database; the caller ends the client.
export async function connect(db: JestDatabase): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const { testPath, currentTestName } = expect.getState(); // CI only, from here to the end
  reportServers();
  await reportTest(client, process.env.JEST_WORKER_ID, basename(testPath ?? ''), currentTestName);
  return client;
}
