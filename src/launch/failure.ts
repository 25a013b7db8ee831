// A launch that failed after the watcher started: stop it, gather the logs' tails, leave nothing behind.
import type { Backend } from '../backends/types.js';
import { finishAfterWatcher } from '../cleanup/backstop.js';
import { appendToLog } from '../cleanup/record.js';
import { QuickdbError } from '../errors.js';
import { proveRecorded } from '../state/process/signal-guard.js';
import { describeLogTail } from '../state/records/log-tail.js';
import type { InstancePaths } from '../state/records/paths.js';
import type { Spec } from '../state/records/spec.js';
import { readStatusFile, readWatcherRef, type Status } from '../state/records/status.js';
import { stopBudgetMs } from '../state/records/stop-budget.js';
import { removeInstanceFiles } from './state-root.js';
import { waitForGone } from './wait.js';

export interface FailedLaunch {
  spec: Spec;
  paths: InstancePaths;
  backend: Backend;
  status: Status | null;
  why: string;
}

// Stop a watcher that did not become ready and build the error that explains why.
export async function abortLaunch(failed: FailedLaunch): Promise<QuickdbError> {
  const status = failed.status ?? readStatusFile(failed.paths.status);
  const watcher = status && readWatcherRef(status);
  if (status && watcher && proveRecorded(watcher, failed.spec.stateDir, 'watcher') === 'ours') {
    await failed.backend.signal(failed.spec, status, 'SIGTERM').catch(() => {});
    await waitForGone(watcher, stopBudgetMs(failed.spec));
  }
  // The tails are read before the backstop, which may tidy the state dir the logs live in.
  const details = [
    describeLogTail('watcher log', failed.paths.log),
    describeLogTail('server log', failed.paths.serverLog),
  ].join('\n');
  await finishAfterWatcher(failed.spec, 'launcher', appendToLog(failed.paths.log));
  await failed.backend.release(failed.spec).catch(() => {});
  removeInstanceFiles(failed.paths);
  return new QuickdbError(`the server of ${failed.spec.id} did not start: ${failed.why}`, { details });
}
