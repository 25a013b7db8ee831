// The library's handle on a started server: ids, pids, connection, stop/eliminate/quiet and `await using`.
import type { Socket } from 'node:net';
import type { BackendName } from '../backends/types.js';
import { type AuthChoice, readAuth } from '../drivers/access.js';
import { hasPerTestDatabases, listPerTestEngines } from '../drivers/capabilities.js';
import { type DatabaseEntry, validateDatabaseName } from '../drivers/databases.js';
import { QuickdbError, UsageError } from '../errors.js';
import { applyExports, type ExportOptions, type ExportsUndo } from '../launch/exports/apply.js';
import type { Launched } from '../launch/launch.js';
import type { DatabaseDriverName, DriverName } from '../launch/options/start-options.js';
import type { Placement } from '../launch/placement.js';
import type { ServerInfo } from '../launch/server-info.js';
import { waitForGone } from '../launch/wait.js';
import { type ControlAction, type ControlResult, controlInstance, SIGNAL_OF } from '../manage/control.js';
import { isProcessAlive } from '../state/process/procstat.js';
import { joinChoices } from '../suggest.js';
import { findKeepPlace } from './databases/keep-failed.js';
import { DatabasePool } from './databases/pool.js';
import type { TestDatabase } from './databases/test-database.js';

/** The type of an instance's URL: always a string for a database driver; a command server has none. */
export type InstanceUrl<D extends DriverName> = D extends DatabaseDriverName ? string : string | undefined;

/** What a command instance is, where per-test databases are asked of it (it has none): a type error names this. */
export interface NoPerTestDatabases {
  /** Per-test databases need a database driver. */
  readonly 'per-test databases need the postgresql, mariadb, mysql or redis driver': never;
}

/** The `this` of the per-test database methods: an instance of a database driver. */
export type WithPerTestDatabases<D extends DriverName> = [D] extends [Exclude<DriverName, DatabaseDriverName>]
  ? NoPerTestDatabases
  : Instance<D>;

/** A started instance, as `up --format json` prints it. */
export interface InstanceInfo<D extends DriverName = DriverName> {
  /** The instance id (`quickdb-watcher stop ID` stops it). */
  id: string;
  /** The driver: `'postgresql'`, `'mariadb'`, `'mysql'`, `'redis'` or `'command'`. */
  driver: D;
  /** How the watcher was launched: a systemd transient unit, a launchd job or a detached process. */
  backend: BackendName;
  /** The systemd unit or launchd label, when the backend has one. */
  unit?: string;
  /** The watcher's pid. */
  watcherPid: number;
  /** The server's pid, once it was spawned. */
  serverPid: number | null;
  /** The server's data dir (deleted on stop unless kept). */
  dataDir: string;
  /** Whether the data dir is on RAM or disk, and why it went there. */
  dataOn?: Placement;
  /** The instance's state dir: spec.json, status.json and the logs. */
  stateDir: string;
  /** The connection URL: always there for a database driver (also when it listens on its unix socket only). */
  url?: string;
  /** Environment variables a client uses (PGHOST…, MYSQL_UNIX_PORT…, REDIS_URL…). */
  env: Record<string, string>;
  /** Database drivers: engine, exact version, binary and where it came from, how the data dir was made. */
  server?: ServerInfo;
  /** Database drivers: `'password'`, or `'trust'` when the loopback port wants none (asked for by name). */
  auth?: AuthChoice;
}

/**
 * A running server under its watcher, made by `startServer`; `D` is its driver. Stop it with {@link Instance.stop}, or
 * let `await using` (Node 24, TypeScript 5.2) stop it when the scope ends.
 */
export class Instance<D extends DriverName = DriverName> implements AsyncDisposable {
  /** What `up --format json` prints: ids, pids, dirs, URL and env. */
  readonly info: InstanceInfo<D>;
  /** Why this backend was chosen (auto explains itself). */
  readonly backendReason: string;
  #lifeline: Socket | null;
  #stateRoot: string;
  #watcherStartTime: string | null;
  #ended: ControlResult | null = null;
  #databases: DatabasePool | null;
  #undoExports: ExportsUndo;

  /** Made by `startServer`, not by hand. */
  constructor(launched: Launched, lifeline: Socket | null, exports?: ExportOptions) {
    this.#lifeline = lifeline;
    // What the launch knew (connection, placement, server, pool), taken as is: nothing is read back from spec.json.
    const { connection, dataOn, server, pool } = launched.record;
    this.#databases = hasPerTestDatabases(launched.spec.driver)
      ? new DatabasePool(
          launched.spec.driver,
          launched.spec.id,
          connection,
          pool,
          findKeepPlace(launched.spec),
        )
      : null;
    this.#stateRoot = launched.spec.stateRoot;
    this.#watcherStartTime = launched.status.watcherStartTime;
    this.backendReason = launched.backendWhy;
    this.info = {
      id: launched.spec.id,
      driver: launched.spec.driver as D,
      backend: launched.backend.name,
      ...(launched.unit ? { unit: launched.unit } : {}),
      watcherPid: launched.status.watcherPid,
      serverPid: launched.status.serverPid,
      dataDir: launched.spec.dataDir,
      dataOn: { ...dataOn },
      stateDir: launched.spec.stateDir,
      ...(connection.url ? { url: connection.url } : {}),
      env: { ...connection.env },
      ...(server ? { server } : {}),
      ...(connection.url ? { auth: readAuth(connection.env) } : {}),
    };
    this.#undoExports = exports ? applyExports(this.info, exports) : () => {};
  }

  /** The instance id. */
  get id(): string {
    return this.info.id;
  }
  /** The server's data dir. */
  get dataDir(): string {
    return this.info.dataDir;
  }
  /** The watcher's pid. */
  get watcherPid(): number {
    return this.info.watcherPid;
  }
  /** The server's pid (null if it was never spawned). */
  get serverPid(): number | null {
    return this.info.serverPid;
  }
  /** The driver this instance runs. */
  get driver(): D {
    return this.info.driver;
  }
  /**
   * The connection URL, a string for every database driver: `postgresql://…?host=/socket/dir`, `mysql://…`,
   * `redis://…` or `unix://…`. A command server has none (undefined).
   */
  get url(): InstanceUrl<D> {
    return this.info.url as InstanceUrl<D>;
  }
  /** Environment variables a client uses (PGHOST…, DATABASE_URL, MYSQL_UNIX_PORT…, REDIS_URL…). */
  get env(): Record<string, string> {
    return this.info.env;
  }
  /** The server's exact version, as its binary reports it ("15.14", "10.11.6", "7.0.15"); undefined for a command. */
  get version(): string | undefined {
    return this.info.server?.version;
  }

  // The state dir was removed under us: signal the watcher we started by pid (start time checked) and wait.
  async #endDirect(action: ControlAction): Promise<ControlResult> {
    const watcher = { pid: this.info.watcherPid, startTime: this.#watcherStartTime };
    if (!isProcessAlive(watcher)) return { id: this.id, action, signalled: false, status: null, ok: false };
    process.kill(watcher.pid, SIGNAL_OF[action]);
    const gone = await waitForGone(watcher, 30_000);
    return { id: this.id, action, signalled: true, status: null, ok: gone };
  }

  async #end(action: ControlAction): Promise<ControlResult> {
    if (this.#ended) return this.#ended;
    await this.#databases?.close();
    const result = await controlInstance(this.#stateRoot, this.id, action).catch((error: unknown) => {
      if (error instanceof UsageError && action !== 'quiet') return this.#endDirect(action);
      throw error;
    });
    this.#ended = result;
    this.#undoExports();
    this.#lifeline?.destroy();
    this.#lifeline = null;
    if (result.signalled && !result.ok) {
      throw new QuickdbError(
        `${action} of ${this.id} did not finish cleanly: ${result.status?.error ?? result.status?.phase}`,
      );
    }
    return result;
  }

  /**
   * Stop the server (the stop signal, then the fast stop signal, then SIGKILL) and wait until it is gone; the data
   * dir is deleted unless `keep`. A second call returns the first one's result.
   *
   * @throws {QuickdbError} the stop did not finish cleanly.
   */
  stop(options: { keep?: boolean } = {}): Promise<ControlResult> {
    return this.#end(options.keep ? 'keep' : 'stop');
  }

  /** Fast eliminate: the fast stop signal at once, SIGKILL after `fastGraceMs`; the data dir is deleted. */
  eliminate(): Promise<ControlResult> {
    return this.#end('kill');
  }

  /** From now on the watcher does not report the server's errors (the `quiet` command's SIGHUP). */
  async quiet(): Promise<void> {
    await controlInstance(this.#stateRoot, this.id, 'quiet');
  }

  #requireDatabases(): DatabasePool {
    if (this.#databases) return this.#databases;
    throw new UsageError(
      'driver',
      this.info.driver,
      `per-test databases need ${joinChoices(listPerTestEngines())}`,
    );
  }

  /**
   * A fresh database for one test, cloned from the migrated template (or taken from the warm pool); drop it with
   * `drop()`, or `await using` drops it at the end of the scope. It lives inside this server, so the watcher's
   * cleanup covers it. Database drivers only (a command instance is a type error, and a UsageError at run time).
   *
   * @param options.name the database's name: lower-case letters, digits and `_` (Redis: a free database index).
   *   Default: a generated `qdw_…` name (Redis: a free index).
   */
  async createDatabase(
    this: WithPerTestDatabases<D>,
    options: { name?: string } = {},
  ): Promise<TestDatabase> {
    const name = options.name === undefined ? undefined : validateDatabaseName('name', options.name);
    return (this as unknown as Instance<D>).#requireDatabases().create(name);
  }

  /** The per-test and pooled databases this server holds now. Database drivers only. */
  async listDatabases(this: WithPerTestDatabases<D>): Promise<DatabaseEntry[]> {
    return (this as unknown as Instance<D>).#requireDatabases().list();
  }

  /** Start topping the warm pool up in the background (startServer does; a no-op without `pool` or databases). */
  fillPool(): void {
    this.#databases?.refill();
  }

  /** Resolve once the warm pool's background refill (if any) is done. */
  async settlePool(): Promise<void> {
    await this.#databases?.settle();
  }

  /** The JSON shape of `up --format json` (the same as `info`). */
  toJSON(): InstanceInfo<D> {
    return this.info;
  }

  /** `await using`: stop the server and clean up when the scope ends. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
