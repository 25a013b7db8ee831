// quickdb-watcher/vitest: vitest's `test` with two fixtures: `server` (this worker's server, handed over by the
// globalSetup) and `db` (a fresh database per test, dropped after it, kept for a look when the test failed).
import { test as base, inject } from 'vitest';
import type { TestDatabase } from '../index.js';
import {
  HANDOFF_ENV,
  openWorkerServer,
  readHandoff,
  readWorkerNumber,
  type WorkerServer,
} from './servers.js';

export type { TestDatabase } from '../index.js';
export type {
  GroupOptions,
  IntegrationOptions,
  ServerGroup,
  ServerInfo,
  ServersHandoff,
  WorkerServer,
} from './servers.js';
export { createGlobalSetup, type VitestGlobalSetup } from './vitest-setup.js';

/** The fixtures `test` adds: `server` (per worker) and `db` (per test). */
export interface QuickdbFixtures {
  /** A fresh database for this test, cloned from the migrated template; dropped after the test, kept (its URL printed)
   *  when the test failed. */
  db: TestDatabase;
}
/** The worker-scoped fixture: this worker's server (the shared one, or worker N's with `servers: 'per-worker'`). */
export interface QuickdbWorkerFixtures {
  server: WorkerServer;
}

/** vitest's `test`, extended with `server` and `db`: `test('…', async ({ db }) => { … db.url … })`. */
export const test = base.extend<QuickdbFixtures & QuickdbWorkerFixtures>({
  server: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
    async ({}, use) => {
      const handoff = readHandoff(inject('quickdbWatcher') ?? process.env[HANDOFF_ENV]);
      const server = openWorkerServer(handoff, readWorkerNumber('VITEST_POOL_ID'));
      try {
        await use(server);
      } finally {
        await server.close();
      }
    },
    { scope: 'worker' },
  ],
  db: async ({ server, task }, use) => {
    const db = await server.createDatabase();
    await use(db);
    if (task.result?.state === 'fail') db.keep();
    else await db.dropAfterTest();
  },
});

/** The same as `test`.
 * @alias */
export const it = test;
