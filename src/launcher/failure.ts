// A launch that failed after the runner started: stop it, gather the logs' tails, leave nothing behind.
import type { Backend } from '../backends/types.js';
import { QuickdbError } from '../errors.js';
import { describeLogTail } from '../state/log-tail.js';
import type { InstancePaths } from '../state/paths.js';
import { proveRecorded } from '../state/signal-guard.js';
import type { Spec } from '../state/spec.js';
import { readStatusFile, type Status } from '../state/status.js';
import { runPostStop } from '../watcher/post-stop.js';
import { removeInstanceFiles } from './state-root.js';
import { waitForGone } from './wait.js';

export interface FailedLaunch {
  spec: Spec;
  paths: InstancePaths;
  backend: Backend;
  status: Status | null;
  why: string;
}

// Stop a runner that did not become ready and build the error that explains why.
export async function abortLaunch(failed: FailedLaunch): Promise<QuickdbError> {
  const status = failed.status ?? readStatusFile(failed.paths.status);
  const runner = status && { pid: status.watcherPid, startTime: status.watcherStartTime };
  if (status && runner && proveRecorded(runner, failed.spec.stateDir, 'watcher') === 'ours') {
    await failed.backend.signal(failed.spec, status, 'SIGTERM').catch(() => {});
    await waitForGone(
      { pid: status.watcherPid, startTime: status.watcherStartTime },
      failed.spec.stopGraceMs + failed.spec.fastGraceMs + 10_000,
    );
  }
  // The tails are read before the post-stop step, which may tidy the state dir the logs live in.
  const details = [
    describeLogTail('watcher log', failed.paths.log),
    describeLogTail('server log', failed.paths.serverLog),
  ].join('\n');
  await runPostStop(failed.spec, { logToFile: true });
  await failed.backend.release(failed.spec).catch(() => {});
  removeInstanceFiles(failed.paths);
  return new QuickdbError(`the server of ${failed.spec.id} did not start: ${failed.why}`, { details });
}
