// Signalling a watcher by pid, after proving the pid still is that watcher (start time).
import { QuickdbError } from '../errors.js';
import { signalRecorded } from '../state/process/signal-guard.js';
import { readWatcherRef, type Status } from '../state/records/status.js';

// Send signal to the watcher recorded in status, through the signal guard: refuses a pid that is not provably that
// watcher (pid above 1, not ourselves, recorded start time present and still matching).
export function signalWatcherPid(status: Status, signal: NodeJS.Signals): void {
  const watcher = readWatcherRef(status);
  if (!watcher) throw new QuickdbError(`${status.id} has no watcher on record (it never started)`);
  const outcome = signalRecorded(watcher, signal, 'watcher');
  if (outcome.sent) return;
  if ('refused' in outcome)
    throw new QuickdbError(`cannot send ${signal} to the watcher of ${status.id}: ${outcome.refused}`);
  throw new QuickdbError(`the watcher of ${status.id} (pid ${status.watcherPid}) is not running`);
}
