// Controlling a running instance by id: stop, stop --keep, kill (fast eliminate), quiet; each waits for the effect.
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadBackend } from '../backends/index.js';
import { QuickdbError, UsageError } from '../errors.js';
import { getInstancePaths } from '../state/paths.js';
import { isProcessAlive } from '../state/procstat.js';
import { type Spec, validateSpec } from '../state/spec.js';
import { readStatusFile, type Status } from '../state/status.js';
import { waitForGone } from './wait.js';

export type ControlAction = 'stop' | 'keep' | 'kill' | 'quiet';

export const SIGNAL_OF: Record<ControlAction, NodeJS.Signals> = {
  stop: 'SIGTERM',
  keep: 'SIGINT',
  kill: 'SIGUSR1',
  quiet: 'SIGHUP',
};

export interface ControlResult {
  id: string;
  action: ControlAction;
  /** false when the watcher was already gone before we signalled. */
  signalled: boolean;
  /** status.json after the effect; null when the runner removed its state (a clean stop). */
  status: Status | null;
  /** true when the action finished cleanly (stopped and cleaned or kept as asked, or quiet set). */
  ok: boolean;
}

// Read an instance's spec and status; a UsageError when there is no such instance.
export function readInstance(stateRoot: string, id: string): { spec: Spec; status: Status | null } {
  const paths = getInstancePaths(stateRoot, id);
  let raw: string;
  try {
    raw = readFileSync(paths.spec, 'utf8');
  } catch {
    throw new UsageError('ID', id, 'no such instance; `quickdb-watcher list` shows the instances');
  }
  return { spec: validateSpec(JSON.parse(raw)), status: readStatusFile(paths.status) };
}

async function waitForQuiet(statusPath: string, timeoutMs: number): Promise<Status | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = readStatusFile(statusPath);
    if (!status || status.quiet || Date.now() > deadline) return status;
    await sleep(10);
  }
}

// Send the action's signal through the instance's backend and wait until it has taken effect.
export async function controlInstance(
  stateRoot: string,
  id: string,
  action: ControlAction,
): Promise<ControlResult> {
  const { spec, status } = readInstance(stateRoot, id);
  const paths = getInstancePaths(stateRoot, id);
  const runner = status ? { pid: status.runnerPid, startTime: status.runnerStartTime } : null;
  if (!status || !runner || !isProcessAlive(runner)) {
    // Finished already: cleanly if it said "done", or if a concurrent stop let it remove its state meanwhile.
    const finished = status?.phase === 'done' || (!status && !existsSync(paths.spec));
    return { id, action, signalled: false, status, ok: finished };
  }
  const backend = await loadBackend(spec.backend);
  try {
    await backend.signal(spec, status, SIGNAL_OF[action]);
  } catch (error) {
    // A concurrent stop finished the watcher between our check and our signal: report its outcome.
    if (isProcessAlive(runner)) throw error;
    const after = readStatusFile(paths.status);
    return { id, action, signalled: true, status: after, ok: after === null || after.phase === 'done' };
  }
  if (action === 'quiet') {
    const after = await waitForQuiet(paths.status, 5000);
    return { id, action, signalled: true, status: after, ok: after?.quiet === true };
  }
  const budget = (action === 'kill' ? 0 : spec.stopGraceMs) + spec.fastGraceMs + 15_000;
  if (!(await waitForGone(runner, budget))) {
    throw new QuickdbError(
      `the watcher of ${id} (pid ${runner.pid}) is still running ${budget} ms after ${SIGNAL_OF[action]}`,
    );
  }
  await backend.release(spec).catch(() => {});
  const after = readStatusFile(paths.status);
  const ok =
    after === null || (after.phase === 'done' && (action !== 'keep' || after.dataDir.state === 'kept'));
  return { id, action, signalled: true, status: after, ok };
}
