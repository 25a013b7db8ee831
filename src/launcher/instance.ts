// The library's handle on a started server: ids, pids, connection, stop/eliminate/quiet and `await using`.
import type { Socket } from 'node:net';
import type { BackendName } from '../backends/types.js';
import { hasDatabaseAdmin } from '../drivers/admins.js';
import { type DatabaseEntry, validateDatabaseName } from '../drivers/databases.js';
import { QuickdbError, UsageError } from '../errors.js';
import { isProcessAlive } from '../state/procstat.js';
import { type ControlAction, type ControlResult, controlInstance, SIGNAL_OF } from './control.js';
import { DatabasePool } from './databases/pool.js';
import type { TestDatabase } from './databases/test-database.js';
import type { Launched } from './launch.js';
import type { Placement } from './placement.js';
import { waitForGone } from './wait.js';

/** A started instance, as `up --format json` prints it. */
export interface InstanceInfo {
  /** The instance id (`quickdb-watcher stop ID` stops it). */
  id: string;
  /** The engine: "postgresql", "mariadb", "redis" or "command". */
  driver: string;
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
  /** The connection URL (database drivers). */
  url?: string;
  /** Environment variables a client uses (PGHOST…, MYSQL_UNIX_PORT…, REDIS_URL…). */
  env: Record<string, string>;
  /** Database drivers: engine, version, binary and where it came from, how the data dir was made. */
  server?: Record<string, unknown>;
}

/** A running server under its watcher. Disposing it stops the server and cleans up. */
export class Instance implements AsyncDisposable {
  readonly info: InstanceInfo;
  /** Why this backend was chosen (auto explains itself). */
  readonly backendReason: string;
  #lifeline: Socket | null;
  #stateRoot: string;
  #watcherStartTime: string | null;
  #ended: ControlResult | null = null;
  #databases: DatabasePool | null;

  constructor(launched: Launched, lifeline: Socket | null) {
    this.#lifeline = lifeline;
    const pool = Number(launched.spec.info?.pool ?? 0);
    this.#databases = hasDatabaseAdmin(launched.spec.driver)
      ? new DatabasePool(launched.spec.driver, launched.spec.id, launched.connection, pool)
      : null;
    this.#stateRoot = launched.spec.stateRoot;
    this.#watcherStartTime = launched.status.watcherStartTime;
    this.backendReason = launched.backendWhy;
    this.info = {
      id: launched.spec.id,
      driver: launched.spec.driver,
      backend: launched.backend.name,
      ...(launched.unit ? { unit: launched.unit } : {}),
      watcherPid: launched.status.watcherPid,
      serverPid: launched.status.serverPid,
      dataDir: launched.spec.dataDir,
      ...(launched.spec.info?.dataOn ? { dataOn: launched.spec.info.dataOn as Placement } : {}),
      stateDir: launched.spec.stateDir,
      ...(launched.connection.url ? { url: launched.connection.url } : {}),
      env: launched.connection.env,
      ...(launched.spec.info?.server ? { server: launched.spec.info.server as Record<string, unknown> } : {}),
    };
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
  /** The server's pid. */
  get serverPid(): number | null {
    return this.info.serverPid;
  }
  /** The connection URL (database drivers). */
  get url(): string | undefined {
    return this.info.url;
  }
  /** Environment variables a client uses. */
  get env(): Record<string, string> {
    return this.info.env;
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
    this.#lifeline?.destroy();
    this.#lifeline = null;
    if (result.signalled && !result.ok) {
      throw new QuickdbError(
        `${action} of ${this.id} did not finish cleanly: ${result.status?.error ?? result.status?.phase}`,
      );
    }
    return result;
  }

  /** Stop the server (stop signal, then the fast stop signal, then SIGKILL); the data dir is deleted unless `keep`. */
  stop(options: { keep?: boolean } = {}): Promise<ControlResult> {
    return this.#end(options.keep ? 'keep' : 'stop');
  }

  /** Fast eliminate: the fast stop signal at once, SIGKILL after the fast grace; the data dir is deleted. */
  eliminate(): Promise<ControlResult> {
    return this.#end('kill');
  }

  /** From now on the watcher does not report the server's errors (the contract's SIGHUP). */
  async quiet(): Promise<void> {
    await controlInstance(this.#stateRoot, this.id, 'quiet');
  }

  #requireDatabases(): DatabasePool {
    if (this.#databases) return this.#databases;
    throw new UsageError(
      'driver',
      this.info.driver,
      'per-test databases need postgresql, mariadb, mysql or redis',
    );
  }

  /** A fresh database for one test, cloned from the migrated template (or taken from the warm pool); `await using`
   *  drops it at the end of the scope. It lives inside this server, so the watcher's cleanup covers it. */
  async createDatabase(options: { name?: string } = {}): Promise<TestDatabase> {
    const name = options.name === undefined ? undefined : validateDatabaseName('name', options.name);
    return this.#requireDatabases().create(name);
  }

  /** The per-test and pooled databases this server holds now. */
  async listDatabases(): Promise<DatabaseEntry[]> {
    return this.#requireDatabases().list();
  }

  /** Start topping the warm pool up in the background (startServer does; a no-op without `pool`). */
  fillPool(): void {
    this.#databases?.refill();
  }

  /** Resolve once the warm pool's background refill (if any) is done. */
  async settlePool(): Promise<void> {
    await this.#databases?.settle();
  }

  /** The JSON shape of `up --format json`. */
  toJSON(): InstanceInfo {
    return this.info;
  }

  /** `await using`: stop the server and clean up when the scope ends. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
