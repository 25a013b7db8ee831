// Signalling a runner by pid, after proving the pid still is that runner (start time).
import { QuickdbError } from '../errors.js';
import { signalRecorded } from '../state/signal-guard.js';
import type { Status } from '../state/status.js';

// Send signal to the runner recorded in status, through the signal guard: refuses a pid that is not provably that
// runner (pid above 1, not ourselves, recorded start time present and still matching).
export function signalRunnerPid(status: Status, signal: NodeJS.Signals): void {
  const outcome = signalRecorded(
    { pid: status.watcherPid, startTime: status.watcherStartTime },
    signal,
    'watcher',
  );
  if (outcome.sent) return;
  if ('refused' in outcome)
    throw new QuickdbError(`cannot send ${signal} to the watcher of ${status.id}: ${outcome.refused}`);
  throw new QuickdbError(`the watcher of ${status.id} (pid ${status.watcherPid}) is not running`);
}
