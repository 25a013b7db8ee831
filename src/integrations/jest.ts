// quickdb-watcher/jest: in jest test files, this worker's server (useServer) and a fresh database per test
// (useDatabase), through jest's hooks; in jest's main process, the globalSetup and globalTeardown (jest-setup.ts).
import { QuickdbError } from '../errors.js';
import type { TestDatabase } from '../launcher/databases/test-database.js';
import { createDatabaseHandle, type TestDatabaseHandle } from './database-handle.js';
import { openWorkerServer, readHandoff, type WorkerServer } from './servers.js';

export type { TestDatabase } from '../launcher/databases/test-database.js';
export {
  createGlobalSetup,
  createGlobalTeardown,
  GLOBALS_KEY,
  type JestGlobalConfig,
  type JestGlobalSetup,
  type JestGlobalTeardown,
  type JestProjectConfig,
} from './jest-setup.js';
export type { IntegrationOptions, RunnerServers, ServersHandoff, WorkerServer } from './servers.js';

/** The current test's database, as useDatabase() returns it (`url`, `env`, `name`, `database`, `server`). */
export type JestDatabase = TestDatabaseHandle;

type Hook = (fn: () => Promise<void>) => void;
interface JestHooks {
  beforeAll: Hook;
  afterAll: Hook;
  beforeEach: Hook;
  afterEach: Hook;
}

// jest's hook globals, or a message saying where the call belongs.
function findJestHooks(caller: string): JestHooks {
  const hooks = globalThis as Partial<JestHooks>;
  const names = ['beforeAll', 'afterAll', 'beforeEach', 'afterEach'] as const;
  const missing = names.filter((name) => typeof hooks[name] !== 'function');
  if (missing.length > 0)
    throw new QuickdbError(
      `quickdb-watcher: ${caller} registers jest hooks, but jest's ${missing.join(', ')} globals are missing: call ` +
        "it at the top of a jest test file (or in a describe block), with jest's injectGlobals left on",
    );
  return hooks as JestHooks;
}

// This worker's number: JEST_WORKER_ID runs from 1 to maxWorkers (1 when jest runs in band).
function readWorkerNumber(): number {
  const id = Number(process.env.JEST_WORKER_ID ?? '1');
  return Number.isInteger(id) && id >= 1 ? id : 1;
}

// Open this worker's server for one test file (no connection until first used) and close it after the file.
function openFileServer(hooks: JestHooks): WorkerServer {
  const server = openWorkerServer(readHandoff(), readWorkerNumber());
  hooks.afterAll(() => server.close());
  return server;
}

/** This worker's server, handed over by quickdb-watcher's globalSetup (the shared one, or worker N's with
 *  `servers: 'per-worker'`), for this test file; its admin connection is closed after the file (afterAll). Call it at
 *  the top of a test file. */
export function useServer(): WorkerServer {
  return openFileServer(findJestHooks('useServer()'));
}

/** A fresh database for each test of this file, cloned from the migrated template (or taken from the warm pool) in
 *  beforeEach and dropped in afterEach. Call it at the top of a test file (or in a describe block); read `url`, `env`
 *  or `name` inside the tests. */
export function useDatabase(): JestDatabase {
  const hooks = findJestHooks('useDatabase()');
  const server = openFileServer(hooks);
  let current: TestDatabase | undefined;
  hooks.beforeEach(async () => {
    current = await server.createDatabase();
  });
  hooks.afterEach(async () => {
    const database = current;
    current = undefined;
    await database?.drop();
  });
  const requireCurrent = (): TestDatabase => {
    if (current) return current;
    throw new QuickdbError(
      "quickdb-watcher: useDatabase()'s database exists only while a test runs (from beforeEach to afterEach); " +
        'read url, env or name inside a test',
    );
  };
  return createDatabaseHandle(requireCurrent, server);
}
