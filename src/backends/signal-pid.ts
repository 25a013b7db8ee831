// Signalling a runner by pid, after proving the pid still is that runner (start time).
import { QuickdbError } from '../errors.js';
import { isProcessAlive } from '../state/procstat.js';
import type { Status } from '../state/status.js';

// Send signal to the runner recorded in status; refuses a pid that now belongs to another process.
export function signalRunnerPid(status: Status, signal: NodeJS.Signals): void {
  if (!isProcessAlive({ pid: status.runnerPid, startTime: status.runnerStartTime })) {
    throw new QuickdbError(`the watcher of ${status.id} (pid ${status.runnerPid}) is not running`);
  }
  try {
    process.kill(status.runnerPid, signal);
  } catch (cause) {
    throw new QuickdbError(`cannot send ${signal} to the watcher pid ${status.runnerPid}`, { cause });
  }
}
