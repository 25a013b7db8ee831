// The watch loop: one event at a time, deciding when to spawn, stop, escalate and clean up.

import { finishInstance } from '../cleanup/finish.js';
import { sweepTaggedProcesses } from '../cleanup/leftovers.js';
import type { InstanceRecord } from '../cleanup/record.js';
import { readStartTime } from '../state/process/procstat.js';
import { hasKeptNote } from '../state/records/kept-note.js';
import { getInstancePaths, type InstancePaths } from '../state/records/paths.js';
import type { Spec } from '../state/records/spec.js';
import { type CgroupScope, endCgroupScope, enterCgroupScope } from './cgroup-scope.js';
import type { EventQueue, WatchEvent } from './events.js';
import { StopLadder } from './ladder.js';
import { type ParentWatch, watchParent } from './liveness.js';
import { waitReady } from './ready.js';
import { type ServerProcess, spawnServer, sweepServerGroup } from './server.js';

export type StopMode = 'keep' | 'cleanup';

/** The longest timer Node allows (~24.8 days): one ref'd timer keeps the loop alive at no idle cost. */
const KEEP_ALIVE_MS = 2 ** 31 - 1;

/** One instance's life, driven by queue events. */
export class Watch {
  #mode: StopMode | null = null;
  #fast = false;
  #failed = false;
  #server: ServerProcess | null = null;
  #cgroup: CgroupScope | null = null;
  #ladder: StopLadder | null = null;
  #parent: ParentWatch | null = null;
  /** True once the instance passed to its heir (it passes once). */
  #inherited = false;
  readonly #readyAbort = new AbortController();
  readonly #paths: InstancePaths;

  constructor(
    private readonly spec: Spec,
    private readonly report: InstanceRecord,
    private readonly queue: EventQueue,
  ) {
    this.#paths = getInstancePaths(spec.stateRoot, spec.id);
  }

  // Run to the end and return the watcher's exit code.
  async run(): Promise<number> {
    // Signal handlers and a pending promise do not keep Node's event loop alive: without a parent (no PID timer, no
    // lifeline) the loop would drain once the server exits, and the watcher would vanish without cleaning up.
    const keepAlive = setInterval(() => {}, KEEP_ALIVE_MS);
    try {
      return await this.#watch();
    } finally {
      clearInterval(keepAlive);
    }
  }

  async #watch(): Promise<number> {
    this.#applyQueued();
    try {
      this.#parent = await this.#watchParent(this.spec.parent);
    } catch (cause) {
      // Without its parent watch the instance could outlive its parent: it is not started.
      this.#parent = { close: () => {} };
      this.report.error(`cannot watch the parent: ${(cause as Error).message}`);
      this.#failed = true;
      this.#request('cleanup', 'the parent could not be watched');
    }
    this.#applyQueued();
    if (this.#mode === null) await this.#startServer();
    else this.report.log('stop requested before the server started; it will not be started');
    while (!this.#isFinished()) this.#apply(await this.queue.next());
    this.#parent.close();
    if (this.#server) sweepServerGroup(this.#server);
    const strays = await sweepTaggedProcesses(this.spec.stateDir);
    if (strays > 0) this.report.log(`killed ${strays} server process(es) that outlived the server`);
    // A fast eliminate gives a nested instance no time of its own.
    await endCgroupScope(this.#cgroup, this.spec, this.report, this.#fast ? 0 : this.spec.fastGraceMs);
    return finishInstance(this.spec, this.report, {
      deleteData: this.#mode === 'cleanup',
      failed: this.#failed,
      neverReady: this.report.status.times.ready === undefined,
    });
  }

  #watchParent(parent: Spec['parent']): Promise<ParentWatch> {
    return watchParent(parent, this.#paths.lifeline, this.spec.pollMs, (reason) =>
      this.queue.push({ type: 'parent-gone', reason }),
    );
  }

  // The parent went while a database of the instance is kept (a failed test's): pass it to the heir (the shell that
  // ran the test runner) instead of ending it; false when there is no heir, no kept database, or it passed already.
  #passToHeir(reason: string): boolean {
    const heir = this.spec.parent?.heir;
    if (!heir || this.#inherited || !hasKeptNote(this.spec.stateDir)) return false;
    this.#inherited = true;
    this.#parent?.close();
    this.#parent = { close: () => {} };
    this.report.log(
      `${reason}; a database of it is kept, so it passes to its heir, process ${heir.pid}, and lives until that ends or a stop comes`,
    );
    this.#watchParent({ ...heir, lifeline: false }).then(
      (watch) => {
        if (this.#isFinished()) watch.close();
        else this.#parent = watch;
      },
      (cause: Error) =>
        this.queue.push({ type: 'parent-gone', reason: `the heir cannot be watched: ${cause.message}` }),
    );
    return true;
  }

  async #startServer(): Promise<void> {
    this.report.phase('spawning');
    this.#cgroup = enterCgroupScope(this.spec, this.report);
    try {
      this.#server = await spawnServer(this.spec, this.#paths.serverLog, this.queue);
    } catch (cause) {
      this.report.error((cause as Error).message);
      this.#failed = true;
      this.#request('cleanup', 'the server could not be started');
      return;
    }
    const pid = this.#server.pid;
    this.report.update({ serverPid: pid, serverStartTime: readStartTime(pid) });
    this.report.log(`server started: pid ${pid}: ${this.spec.server.argv.join(' ')}`);
    this.#ladder = new StopLadder(this.#server, this.spec, this.report);
    this.#applyQueued();
    if (this.#mode !== null) return this.#act();
    // Until ready, a status.json that cannot be written (a full disk) is a failed start: nobody could learn of the
    // ready otherwise, and stopping frees the space the data dir took.
    this.report.onWriteError = (reason) => this.queue.push({ type: 'ready-failed', reason });
    this.report.phase('waiting-ready');
    waitReady(this.spec.ready, this.#paths.serverLog, this.spec.readyTimeoutMs, this.#readyAbort.signal).then(
      () => this.queue.push({ type: 'ready' }),
      (cause: Error) => this.queue.push({ type: 'ready-failed', reason: cause.message }),
    );
  }

  #isFinished(): boolean {
    return this.#mode !== null && (this.#server === null || this.#server.exited);
  }

  #applyQueued(): void {
    for (const event of this.queue.drain()) this.#apply(event);
  }

  #apply(event: WatchEvent): void {
    switch (event.type) {
      case 'signal':
        this.#onSignal(event.signal);
        break;
      case 'parent-gone':
        if (this.#mode === null && this.#passToHeir(event.reason)) break;
        if (this.#mode === null) this.#request('cleanup', event.reason);
        else this.report.log(`${event.reason} (already stopping)`);
        break;
      case 'server-exit':
        this.#onServerExit(event.code, event.signal);
        break;
      case 'ready':
        if (this.#mode === null && !this.#server?.exited) {
          this.report.phase('ready');
          this.report.log('server is ready');
        }
        // From now on a status that cannot be written is logged, not fatal: the instance is in use.
        this.report.onWriteError = undefined;
        break;
      case 'ready-failed':
        if (this.#mode !== null || this.#server?.exited) break;
        this.report.error(event.reason);
        this.#failed = true;
        this.#request('cleanup', 'the server did not become ready');
        break;
    }
    this.#act();
  }

  #onSignal(signal: NodeJS.Signals): void {
    if (signal === 'SIGHUP') {
      this.report.stamp('quiet');
      this.report.update({ quiet: true });
      this.report.log('SIGHUP: errors are no longer reported');
    } else if (signal === 'SIGINT') {
      this.#request('keep', 'SIGINT');
    } else if (signal === 'SIGTERM') {
      this.#request('cleanup', 'SIGTERM');
    } else if (signal === 'SIGUSR1') {
      this.#fast = true;
      this.#request('cleanup', 'SIGUSR1');
    }
  }

  // Record a stop; a later TERM/USR1 upgrades keep to cleanup, but cleanup is never revoked.
  #request(mode: StopMode, reason: string): void {
    if (this.#mode === null) {
      this.#mode = mode;
      this.#act(); // signal the server first: the status writes below can wait a few milliseconds
      this.report.stamp('stopRequested');
      this.report.phase('stopping', { stopReason: reason });
      this.report.log(
        `${reason}: stopping, data dir will be ${mode === 'keep' || !this.spec.cleanup ? 'kept' : 'deleted'}`,
      );
    } else if (mode === 'cleanup' && this.#mode === 'keep') {
      this.#mode = 'cleanup';
      this.report.update({ stopReason: `${this.report.status.stopReason}, then ${reason}` });
      this.report.log(`${reason}: upgraded the stop to clean up the data dir`);
    } else {
      this.report.log(`${reason}: already stopping`);
    }
  }

  #onServerExit(code: number | null, signal: string | null): void {
    this.#readyAbort.abort();
    const unexpected = this.#mode === null;
    const how = signal ? `by ${signal}` : `with code ${code}`;
    this.report.stamp('serverExited');
    this.report.update({ exit: { code, signal, unexpected } });
    if (!unexpected) {
      this.report.log(`server pid ${this.#server?.pid} exited ${how}`);
      return;
    }
    if (code === 0 && !signal)
      this.report.log(`server pid ${this.#server?.pid} exited on its own with code 0`);
    else this.report.error(`server pid ${this.#server?.pid} exited on its own ${how}`);
    this.report.phase('server-exited');
    this.report.log('still watching the parent; the data dir stays until the parent goes or a signal comes');
  }

  #act(): void {
    if (this.#mode === null || !this.#ladder || this.#server?.exited) return;
    if (this.#fast) this.#ladder.startFast();
    else this.#ladder.startGraceful();
  }
}
