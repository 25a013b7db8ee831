// The library's handle on a started server: ids, pids, connection, stop/eliminate/quiet and `await using`.
import type { Socket } from 'node:net';
import type { BackendName } from '../backends/types.js';
import { QuickdbError, UsageError } from '../errors.js';
import { isProcessAlive } from '../state/procstat.js';
import { type ControlAction, type ControlResult, controlInstance, SIGNAL_OF } from './control.js';
import type { Launched } from './launch.js';
import { waitForGone } from './wait.js';

export interface InstanceInfo {
  id: string;
  driver: string;
  backend: BackendName;
  unit?: string;
  watcherPid: number;
  serverPid: number | null;
  dataDir: string;
  stateDir: string;
  url?: string;
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

  constructor(launched: Launched, lifeline: Socket | null) {
    this.#lifeline = lifeline;
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
      stateDir: launched.spec.stateDir,
      ...(launched.connection.url ? { url: launched.connection.url } : {}),
      env: launched.connection.env,
      ...(launched.spec.info?.server ? { server: launched.spec.info.server as Record<string, unknown> } : {}),
    };
  }

  get id(): string {
    return this.info.id;
  }
  get dataDir(): string {
    return this.info.dataDir;
  }
  get watcherPid(): number {
    return this.info.watcherPid;
  }
  get serverPid(): number | null {
    return this.info.serverPid;
  }
  get url(): string | undefined {
    return this.info.url;
  }
  get env(): Record<string, string> {
    return this.info.env;
  }

  // The state dir was removed under us: signal the watcher we started by pid (start time checked) and wait.
  async #endDirect(action: ControlAction): Promise<ControlResult> {
    const runner = { pid: this.info.watcherPid, startTime: this.#watcherStartTime };
    if (!isProcessAlive(runner)) return { id: this.id, action, signalled: false, status: null, ok: false };
    process.kill(runner.pid, SIGNAL_OF[action]);
    const gone = await waitForGone(runner, 30_000);
    return { id: this.id, action, signalled: true, status: null, ok: gone };
  }

  async #end(action: ControlAction): Promise<ControlResult> {
    if (this.#ended) return this.#ended;
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

  // Stop the server (graceful ladder); the data dir is deleted unless keep is set.
  stop(options: { keep?: boolean } = {}): Promise<ControlResult> {
    return this.#end(options.keep ? 'keep' : 'stop');
  }

  // Fast eliminate: fast_stop_sig at once, SIGKILL after the fast grace, data dir deleted.
  eliminate(): Promise<ControlResult> {
    return this.#end('kill');
  }

  // From now on the watcher does not report the server's errors.
  async quiet(): Promise<void> {
    await controlInstance(this.#stateRoot, this.id, 'quiet');
  }

  // The JSON shape of `up --format json`.
  toJSON(): InstanceInfo {
    return this.info;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
