// quickdb-watcher/jest: in jest test files, this worker's server (useServer) and a fresh database per test
// (useDatabase), through jest's hooks; in jest's main process, the globalSetup and globalTeardown (jest-setup.ts).
import { QuickdbError } from '../errors.js';
import { type TestDatabaseHandle, trackTestDatabases } from './database-handle.js';
import { openWorkerServer, readHandoff, readWorkerNumber, type WorkerServer } from './servers.js';

export type { TestDatabase } from '../index.js';
export {
  createGlobalSetup,
  createGlobalTeardown,
  GLOBALS_KEY,
  type JestGlobalConfig,
  type JestGlobalSetup,
  type JestGlobalTeardown,
  type JestProjectConfig,
} from './jest-setup.js';
export type {
  GroupOptions,
  IntegrationOptions,
  RunnerServers,
  ServerGroup,
  ServerInfo,
  ServersHandoff,
  WorkerServer,
} from './servers.js';

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

// Open this worker's server for one test file (no connection until first used) and close it after the file.
function openFileServer(hooks: JestHooks): WorkerServer {
  const server = openWorkerServer(readHandoff(), readWorkerNumber('JEST_WORKER_ID'));
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
  // Zero-parameter callbacks: jest takes a hook function that declares a parameter for a done-callback one.
  return trackTestDatabases(
    openFileServer(hooks),
    {
      beforeEach: (fn) => hooks.beforeEach(() => fn()),
      afterEach: (fn) => hooks.afterEach(() => fn(undefined)),
    },
    {
      missing:
        "quickdb-watcher: useDatabase()'s database exists only while a test runs (from beforeEach to afterEach); " +
        'read url, env or name inside a test',
    },
  );
}
