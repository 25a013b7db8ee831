// The handle a test file holds on "the current test's database": each property reads the database of the test that
// runs now (the runner's beforeEach sets it, afterEach drops it), and the hooks that make and drop it.
import { QuickdbError } from '../errors.js';
import type { TestDatabase } from '../index.js';
import type { WorkerServer } from './worker-server.js';

/** The current test's database, as useDatabase() returns it; reading a property outside a test throws. */
export interface TestDatabaseHandle {
  /** The database (PostgreSQL), schema (MariaDB) or index (Redis) name. */
  readonly name: string;
  /** The URL of this test's database. */
  readonly url: string;
  /** Environment for clients (PGDATABASE, DATABASE_URL…), pointing at this test's database. */
  readonly env: Record<string, string>;
  /** This test's TestDatabase itself (`keep()` it to look at it after the run). */
  readonly database: TestDatabase;
  /** The server the databases are cloned in. */
  readonly server: WorkerServer;
}

// Build the handle over `read`, which returns the current test's database or throws saying why there is none.
function createDatabaseHandle(read: () => TestDatabase, server: WorkerServer): TestDatabaseHandle {
  return {
    get name() {
      return read().name;
    },
    get url() {
      return read().url;
    },
    get env() {
      return read().env;
    },
    get database() {
      return read();
    },
    server,
  };
}

/** The runner's hooks around each test (wrapped by the caller to the runner's own calling convention). */
export interface EachTestHooks {
  beforeEach(fn: () => Promise<void>): void;
  afterEach(fn: (context: unknown) => Promise<void>): void;
}

/** A fresh database on `server` for each test: made in beforeEach, dropped in afterEach, or kept (its URL printed)
 *  when `failed` says the test failed; reading the handle outside a test throws `missing`. */
export function trackTestDatabases(
  server: WorkerServer,
  hooks: EachTestHooks,
  options: { missing: string; failed?: (context: unknown) => boolean },
): TestDatabaseHandle {
  let current: TestDatabase | null = null;
  hooks.beforeEach(async () => {
    current = await server.createDatabase();
  });
  hooks.afterEach(async (context) => {
    const done = current;
    current = null;
    if (!done) return;
    if (options.failed?.(context)) done.keep();
    else await done.dropAfterTest();
  });
  const read = (): TestDatabase => {
    if (current) return current;
    throw new QuickdbError(options.missing);
  };
  return createDatabaseHandle(read, server);
}
