// The handle a test file holds on "the current test's database": each property reads the database of the test that
// runs now (the runner's beforeEach sets it, afterEach drops it).
import type { TestDatabase } from '../launcher/databases/test-database.js';
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

/** Build the handle over `read`, which returns the current test's database or throws saying why there is none. */
export function createDatabaseHandle(read: () => TestDatabase, server: WorkerServer): TestDatabaseHandle {
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
