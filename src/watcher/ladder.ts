// The stop ladder: stop_sig, then fast_stop_sig after the grace, then SIGKILL; every step logged.

import type { InstanceRecord } from '../cleanup/record.js';
import type { Spec } from '../state/records/spec.js';
import { type ServerProcess, signalServer } from './server.js';

type Rung = 'idle' | 'stop' | 'fast' | 'kill';

/** Walks one server down the ladder; a fast eliminate can jump ahead at any time. */
export class StopLadder {
  #rung: Rung = 'idle';
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly server: ServerProcess,
    private readonly spec: Spec,
    private readonly report: InstanceRecord,
  ) {
    server.child.once('exit', () => this.#clear());
  }

  // Begin the graceful ladder (no-op once started).
  startGraceful(): void {
    if (this.#rung !== 'idle') return;
    this.#step('stop', this.spec.server.stopSignal, this.spec.stopGraceMs, 'stop');
  }

  // Jump to fast_stop_sig now, with SIGKILL after the fast grace (no-op if already there).
  startFast(): void {
    if (this.#rung === 'fast' || this.#rung === 'kill') return;
    this.#step('fast', this.spec.server.fastStopSignal, this.spec.fastGraceMs, 'fast eliminate');
  }

  #step(rung: Rung, signal: NodeJS.Signals, graceMs: number, why: string): void {
    if (this.server.exited) return;
    this.#clear();
    this.#rung = rung;
    const sent = signalServer(this.server, signal);
    const line = `${why}: sent ${signal} to server pid ${this.server.pid}${sent ? '' : ' (already gone)'}`;
    if (rung === 'stop') this.report.log(line);
    else this.report.escalate(line);
    if (rung === 'kill') return;
    this.#timer = setTimeout(() => this.#escalate(graceMs), graceMs);
  }

  #escalate(waitedMs: number): void {
    if (this.server.exited) return;
    const still = `server pid ${this.server.pid} still running after ${waitedMs} ms`;
    if (this.#rung === 'stop')
      this.#step('fast', this.spec.server.fastStopSignal, this.spec.fastGraceMs, still);
    else this.#step('kill', 'SIGKILL', 0, still);
  }

  #clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
