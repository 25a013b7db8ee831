// The server a test worker was handed, opened by id: its connection and per-test databases (no lifeline, no stop:
// the runner's main process owns the server).
import { describePerTestEngines, hasPerTestDatabases, isDriverName } from '../api/engines.js';
import { inspectInstance } from '../api/instances.js';
import { openInstance } from '../api/open.js';
import { QuickdbError } from '../errors.js';
import type { DatabaseEntry, ServerInfo, TestDatabase } from '../index.js';
import type { ServerGroup } from './handoff.js';

/** The server of one test worker, as the worker sees it. */
export interface WorkerServer {
  /** The instance id (`quickdb-watcher status ID` shows it). */
  readonly id: string;
  /** The engine: "postgresql", "mariadb", "mysql", "redis" or "command". */
  readonly driver: string;
  /** The server's connection URL (database drivers; undefined for a command). */
  readonly url: string | undefined;
  /** Environment variables a client uses (PGHOST…, MYSQL_UNIX_PORT…, REDIS_URL…). */
  readonly env: Record<string, string>;
  /** The server's exact version, as its binary reports it ("15.14", "10.11.6", "7.0.15"): a suite can assert the
   *  server it runs on (`expect(server.version).toMatch(/^16\./)`). Undefined for a command. */
  readonly version: string | undefined;
  /** What runs: engine, version, binary and where it came from (undefined for a command). */
  readonly server: ServerInfo | undefined;
  /** The extra servers started beside this one (the `also` option), by name: `server.also.cache.url`. */
  readonly also: Readonly<Record<string, WorkerServer>>;
  /** A fresh database for one test, cloned from the migrated template (or taken from the warm pool). */
  createDatabase(options?: { name?: string }): Promise<TestDatabase>;
  /** The per-test and pooled databases the server holds now. */
  listDatabases(): Promise<DatabaseEntry[]>;
  /** Close this worker's admin connection (the server keeps running; its owner stops it). */
  close(): Promise<void>;
}

/** This worker's number from the runner's env variable (vitest's VITEST_POOL_ID, jest's JEST_WORKER_ID: 1 to
 *  maxWorkers); 1 when it is unset or not a whole number above 0 (a single worker, in band). */
export function readWorkerNumber(variable: string): number {
  const id = Number(process.env[variable] ?? '1');
  return Number.isInteger(id) && id >= 1 ? id : 1;
}

/** The id of worker N's server (1-based) in a group of the handoff (`label`: how a message names the group). */
export function pickId(handoff: ServerGroup, worker: number, label: string): string {
  if (!Number.isInteger(worker) || worker < 1)
    throw new QuickdbError(
      `quickdb-watcher: worker ${JSON.stringify(worker)} is not a worker number (1, 2, …)`,
    );
  if (!handoff.perWorker) return handoff.ids[0] as string;
  const id = handoff.ids[worker - 1];
  if (id === undefined)
    throw new QuickdbError(
      `quickdb-watcher: worker ${worker} has no ${label}: the runner's main process started ${handoff.ids.length} ` +
        '(one per worker); the worker count changed after globalSetup ran',
    );
  return id;
}

// A server without per-test databases (a command): no connection to check and no databases.
function openCommandServer(id: string, driver: string): WorkerServer {
  const refuse = (): Promise<never> =>
    Promise.reject(
      new QuickdbError(
        `quickdb-watcher: ${id} runs a ${driver}, which has no per-test databases; ${describePerTestEngines()} have them`,
      ),
    );
  return {
    id,
    driver,
    url: undefined,
    env: {},
    version: undefined,
    server: undefined,
    also: {},
    createDatabase: refuse,
    listDatabases: refuse,
    close: async () => {},
  };
}

/** A server of the handoff, opened by id under its state root, with no extras. */
export function openServerById(stateRoot: string, id: string): WorkerServer {
  const view = inspectInstance(id, { stateRoot });
  const driver = view?.spec?.driver ?? '';
  const bare = isDriverName(driver) && !hasPerTestDatabases(driver); // one of ours, without per-test databases
  if (bare && !view?.problem && view?.phase === 'ready' && view.watcherAlive)
    return openCommandServer(id, driver);
  const opened = openInstance(id, { stateRoot });
  const server = view?.server ?? undefined;
  return {
    id,
    driver: opened.driver,
    url: opened.url,
    env: opened.env,
    version: server?.version,
    server,
    also: {},
    createDatabase: (options) => opened.createDatabase(options),
    listDatabases: () => opened.listDatabases(),
    close: () => opened.close(),
  };
}
