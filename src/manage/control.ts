// Controlling a running instance by id: stop, stop --keep, kill (fast eliminate), quiet; each waits for the effect.
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadBackend } from '../backends/index.js';
import { QuickdbError, UsageError } from '../errors.js';
import { removePrepared } from '../launch/prepared.js';
import { checkStateRoot } from '../launch/state-root.js';
import { waitForGone } from '../launch/wait.js';
import { readProcStat } from '../state/process/procstat.js';
import { checkRecordedPid, isProvenAlive, proveRecorded } from '../state/process/signal-guard.js';
import { getInstancePaths } from '../state/records/paths.js';
import { readSpecAt } from '../state/records/records.js';
import type { Spec } from '../state/records/spec.js';
import { readStatusFile, readStatusRecord, readWatcherRef, type Status } from '../state/records/status.js';
import { stopBudgetMs } from '../state/records/stop-budget.js';
import { holdStopNote, wasStoppedRecently } from '../state/records/stop-note.js';

/** stop: TERM (clean up); keep: INT (keep the data); kill: USR1 (fast eliminate); quiet: HUP (stop reporting errors). */
export type ControlAction = 'stop' | 'keep' | 'kill' | 'quiet';

export const SIGNAL_OF: Record<ControlAction, NodeJS.Signals> = {
  stop: 'SIGTERM',
  keep: 'SIGINT',
  kill: 'SIGUSR1',
  quiet: 'SIGHUP',
};

/** What a stop, kill or quiet did, once its effect is seen. */
export interface ControlResult {
  /** The instance id. */
  id: string;
  /** What was done: stop, keep (stop keeping the data), kill (fast eliminate) or quiet. */
  action: ControlAction;
  /** false when the watcher was already gone before we signalled. */
  signalled: boolean;
  /** status.json after the effect; null when the watcher removed its state (a clean stop). */
  status: Status | null;
  /** true when the action finished cleanly (stopped and cleaned or kept as asked, or quiet set). */
  ok: boolean;
  /** Set when a prepared (generated, never started) instance was removed instead: what became of it. */
  removed?: string;
}

/** Thrown when an instance's spec is gone because a stop of it has just finished (not "no such instance"). */
class AlreadyStopped extends Error {}

// Read an instance's spec (checked against where it was found) and status; a UsageError when there is no such
// instance, a QuickdbError when a record is refused (nothing is done with it).
function readInstance(stateRoot: string, id: string): { spec: Spec; status: Status | null } {
  const paths = getInstancePaths(stateRoot, id);
  const spec = readSpecAt(stateRoot, id);
  if (!spec.ok && spec.missing) {
    if (wasStoppedRecently(stateRoot, id)) throw new AlreadyStopped(id);
    throw new UsageError('ID', id, 'no such instance; `quickdb-watcher list` shows the instances');
  }
  if (!spec.ok) throw new QuickdbError(`refusing to act on ${id}: ${spec.reason}`);
  const status = readStatusRecord(paths.status);
  if (!status.ok && !status.missing) {
    throw new QuickdbError(`refusing to act on ${id}: ${status.reason}; nothing signalled`);
  }
  if (status.ok && status.value.id !== id)
    throw new QuickdbError(`refusing to act on ${id}: its status.json names instance "${status.value.id}"`);
  return { spec: spec.value, status: status.ok ? status.value : null };
}

async function waitForQuiet(statusPath: string, timeoutMs: number): Promise<Status | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = readStatusFile(statusPath);
    if (!status || status.quiet || Date.now() > deadline) return status;
    await sleep(10);
  }
}

// Read the instance, treating a spec removed by a stop that just finished as "already stopped" (null).
function readForControl(stateRoot: string, id: string, action: ControlAction) {
  try {
    return readInstance(stateRoot, id);
  } catch (error) {
    if (error instanceof AlreadyStopped && action !== 'quiet') return null;
    if (error instanceof AlreadyStopped)
      throw new UsageError('ID', id, 'no such instance (it was stopped moments ago)');
    throw error;
  }
}

// Act on an instance already read: signal its watcher through the backend and wait for the effect.
async function controlRead(
  stateRoot: string,
  id: string,
  action: ControlAction,
  spec: Spec,
  status: Status | null,
): Promise<ControlResult> {
  const paths = getInstancePaths(stateRoot, id);
  const watcher = status ? readWatcherRef(status) : null;
  if (status?.phase === 'prepared' && !(watcher && isProvenAlive(watcher)) && action !== 'quiet') {
    const removal = removePrepared(paths, spec, action === 'keep');
    return { id, action, signalled: false, status: null, ok: removal.ok, removed: removal.detail };
  }
  if (!status || !watcher || !isProvenAlive(watcher)) {
    // A pid that is there but cannot be proven to be the watcher (no start time recorded): say so, signal nothing.
    const refused = watcher && readProcStat(watcher.pid) ? checkRecordedPid(watcher, 'watcher') : null;
    if (refused) throw new QuickdbError(`${id}: ${refused}; \`quickdb-watcher gc\` tidies leftovers`);
    // Finished already: cleanly if it said "done", or if a concurrent stop let it remove its state meanwhile. Read
    // again: a watcher that ended between our read and our check has since written "done" or removed its state.
    const present = existsSync(paths.spec);
    const after = present ? readStatusFile(paths.status) : null;
    const finished = status?.phase === 'done' || after?.phase === 'done' || !present;
    return { id, action, signalled: false, status: present ? (after ?? status) : null, ok: finished };
  }
  // A start time only rules out pid reuse: the watcher must also show it is this instance's (cwd, log).
  const proof = proveRecorded(watcher, spec.stateDir, 'watcher');
  // Gone while being checked (it began to exit, its files closed): a concurrent stop finished it.
  if (proof === 'gone') return { id, action, signalled: false, status, ok: true };
  if (proof !== 'ours') throw new QuickdbError(`${id}: ${proof.refused}`);
  const backend = await loadBackend(spec.backend);
  try {
    await backend.signal(spec, status, SIGNAL_OF[action]);
  } catch (error) {
    // A concurrent stop finished the watcher between our check and our signal: report its outcome.
    if (isProvenAlive(watcher)) throw error;
    const after = readStatusFile(paths.status);
    return { id, action, signalled: true, status: after, ok: after === null || after.phase === 'done' };
  }
  if (action === 'quiet') {
    const after = await waitForQuiet(paths.status, 5000);
    return { id, action, signalled: true, status: after, ok: after?.quiet === true };
  }
  const budget = stopBudgetMs(spec, action === 'kill');
  if (!(await waitForGone(watcher, budget))) {
    throw new QuickdbError(
      `the watcher of ${id} (pid ${watcher.pid}) is still running ${budget} ms after ${SIGNAL_OF[action]}`,
    );
  }
  await backend.release(spec).catch(() => {});
  const after = readStatusFile(paths.status);
  const ok =
    after === null || (after.phase === 'done' && (action !== 'keep' || after.dataDir.state === 'kept'));
  return { id, action, signalled: true, status: after, ok };
}

/** Send the action's signal through the instance's backend and wait until it has taken effect. A stop of an
 *  instance that a concurrent stop is finishing (its spec already removed) reports "already stopped". */
export async function controlInstance(
  stateRoot: string,
  id: string,
  action: ControlAction,
): Promise<ControlResult> {
  checkStateRoot(stateRoot);
  const read = readForControl(stateRoot, id, action);
  if (!read) return { id, action, signalled: false, status: null, ok: true };
  if (action === 'quiet') return controlRead(stateRoot, id, action, read.spec, read.status);
  const note = holdStopNote(stateRoot, id);
  try {
    return await controlRead(stateRoot, id, action, read.spec, read.status);
  } finally {
    note.release();
  }
}
