// quickdb-watcher/node-test: before/after helpers for node:test. Under `node --test`, the files of a run that give the
// same options share one server bound to the runner's main process; a file run directly starts its own and stops it
// in `after`.
import { after, afterEach, before, beforeEach } from 'node:test';
import { settleAll, startAllOrNone } from '../api/start.js';
import { QuickdbError, UsageError } from '../errors.js';
import { type TestDatabaseHandle, trackTestDatabases } from './database-handle.js';
import { type FileServer, findTestRunner, obtainSharedServer, startOwnServer } from './node-test-server.js';
import { attachAlso } from './open-worker.js';
import { type IntegrationOptions, planServers, type ServerPlan } from './plan.js';
import type { WorkerServer } from './worker-server.js';

export type { TestDatabase } from '../index.js';
export type { TestDatabaseHandle } from './database-handle.js';
export type { GroupOptions, IntegrationOptions, ServerInfo, WorkerServer } from './servers.js';

/** The server of this test file, usable from `before` on (its getters throw before that). */
export type ServerHandle = WorkerServer;

let fileServer: { handle: ServerHandle; key: string } | null = null;

// Read a value that exists only once a hook ran, or say which hook it waits for.
function requireReady<T>(value: T | null, what: string, hook: string): T {
  if (value === null)
    throw new QuickdbError(`quickdb-watcher/node-test: ${what} is not there yet; it is set in ${hook}`);
  return value;
}

// Start or attach to this file's servers (the main one and each of `also`), as the plans and the way the file was
// run say; all of them or none.
async function obtainFileServer({ main, also }: ReturnType<typeof planServers>): Promise<FileServer> {
  const runner = findTestRunner();
  const obtain = (plan: ServerPlan): Promise<FileServer> =>
    runner && !plan.perWorker ? obtainSharedServer(plan, runner) : startOwnServer(plan.start);
  const held = await startAllOrNone([main, ...also].map(obtain));
  const [first, ...extras] = held as [FileServer, ...FileServer[]];
  return {
    server: attachAlso(
      first.server,
      Object.fromEntries(also.map((plan, i) => [plan.name, (extras[i] as FileServer).server])),
    ),
    stop: () => settleAll(held.map((file) => file.stop())),
  };
}

/** Call at the top of a test file: the options are checked at once, the server is obtained in `before` and released
 *  in `after`. Under `node --test` the files of a run that give the same options share one server (`servers:
 *  'shared'`, the default for database drivers) bound to the runner's main process, which its watcher stops when the
 *  runner exits; files giving other options (other migrations…) share another. Run directly, or with `servers:
 *  'per-worker'`, the file starts its own and stops it in `after`. Options: those of startServer, plus `servers`. A
 *  second call in the same file returns the same server; with other options it is a UsageError. */
export function useServer(options: IntegrationOptions = {}): ServerHandle {
  const plans = planServers(options);
  const key = [plans.main, ...plans.also].map((plan) => `${plan.name}:${plan.key}`).join(' ');
  if (fileServer) return sameFileServer(fileServer, key);
  let held: FileServer | null = null;
  const server = (): WorkerServer => requireReady(held, 'the server', 'before()').server;
  before(async () => {
    held = await obtainFileServer(plans);
  });
  after(async () => {
    await held?.stop();
  });
  const handle: ServerHandle = {
    get id() {
      return server().id;
    },
    get driver() {
      return server().driver;
    },
    get url() {
      return server().url;
    },
    get env() {
      return server().env;
    },
    get version() {
      return server().version;
    },
    get server() {
      return server().server;
    },
    get also() {
      return server().also;
    },
    createDatabase: (opts) => server().createDatabase(opts),
    listDatabases: () => server().listDatabases(),
    close: async () => {},
  };
  fileServer = { handle, key };
  return handle;
}

// This file's server again, for a second call: one file has one server, so other options are refused.
function sameFileServer(held: { handle: ServerHandle; key: string }, key: string): ServerHandle {
  if (held.key !== key)
    throw UsageError.fromMessage(
      'quickdb-watcher/node-test: useServer or useDatabase was already called in this test file with other options; ' +
        'a file has one server: give every call the same options, or put tests that need another server in another file',
      'options',
    );
  return held.handle;
}

/** Call at the top of a test file: every test gets a fresh database (created in beforeEach from the migrated
 *  template, dropped in afterEach; kept, its URL printed, when the test failed), on the server useServer gives. */
export function useDatabase(options: IntegrationOptions = {}): TestDatabaseHandle {
  return trackTestDatabases(
    useServer(options),
    { beforeEach: (fn) => beforeEach(() => fn()), afterEach: (fn) => afterEach((t) => fn(t)) },
    {
      missing: "quickdb-watcher/node-test: the test's database is not there yet; it is set in beforeEach()",
      failed: (t) => (t as { passed?: boolean }).passed === false,
    },
  );
}
