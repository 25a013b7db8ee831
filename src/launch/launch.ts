// Launching one instance: claim state, prepare the data dir, write the spec, start the watcher, wait for ready.
import { chooseBackend } from '../backends/index.js';
import type { Backend, EarlyWatcher, LaunchResult } from '../backends/types.js';
import { guardInterrupt } from '../state/process/interrupt.js';
import type { InstancePaths } from '../state/records/paths.js';
import type { Spec } from '../state/records/spec.js';
import type { Status } from '../state/records/status.js';
import { abortLaunch } from './failure.js';
import type { NormalizedOptions } from './options/normalize.js';
import { type PreparedInstance, prepareInstance } from './prepare.js';
import type { LaunchRecord } from './record.js';
import { loadValidDriver, type ValidDriver } from './valid-driver.js';
import { waitForReady } from './wait.js';

export interface Launched {
  spec: Spec;
  /** The watcher's ready status (it names the watcher). */
  status: Status & { watcherPid: number };
  paths: InstancePaths;
  backend: Backend;
  backendWhy: string;
  unit: string | undefined;
  /** What the launch recorded in spec.json's `info` (connection, placement, server, pool), as it knew it. */
  record: LaunchRecord;
}

// Prepare the instance; where the backend can, its watcher's Node starts at the claim and loads meanwhile. A failed
// or interrupted prepare ends that watcher (it has touched nothing) along with the rest.
async function prepareWithEarlyWatcher(
  options: NormalizedOptions,
  driver: ValidDriver,
  backend: Backend,
): Promise<{ prepared: PreparedInstance; early: EarlyWatcher | undefined }> {
  let early: EarlyWatcher | undefined;
  const interrupt = guardInterrupt(() => void early?.cancel());
  try {
    const prepared = await prepareInstance(options, driver, backend.name, {
      onClaimed: (claimed) => {
        early = backend.prestart?.(claimed);
      },
    });
    return { prepared, early };
  } catch (error) {
    await early?.cancel();
    throw error;
  } finally {
    interrupt.release();
  }
}

// Start an instance and resolve once its watcher reports ready; on failure nothing of it is left.
export async function launchInstance(options: NormalizedOptions): Promise<Launched> {
  const driver = await loadValidDriver(options);
  const { backend, why } = await chooseBackend(options.backend);
  const { prepared, early } = await prepareWithEarlyWatcher(options, driver, backend);
  const { spec, paths, record, discard, afterReady } = prepared;
  // Until the watcher runs, an interrupted launch leaves nothing (it then owns the instance, and its parent's end).
  const interrupt = guardInterrupt(() => {
    void early?.cancel();
    discard();
  });
  let launched: LaunchResult;
  try {
    launched = await backend.launch(spec, paths, early);
  } catch (error) {
    // The backend could not start the watcher (it cleans up what it registered): leave nothing behind.
    discard();
    throw error;
  } finally {
    interrupt.release();
  }
  const watcherPid = launched.watcherPid;
  const outcome = await waitForReady(
    paths.status,
    () => (watcherPid ? { pid: watcherPid } : null),
    options.ready.timeoutMs + 15_000,
  );
  const readyWatcherPid = outcome.kind === 'ready' ? outcome.status.watcherPid : null;
  if (outcome.kind === 'failed' || readyWatcherPid === null) {
    const why = outcome.kind === 'failed' ? outcome.why : 'its status.json names no watcher';
    const error = await abortLaunch({ spec, paths, backend, status: outcome.status, why });
    // A stop with keep (SIGINT) before ready would otherwise leave a data dir no record points to.
    discard();
    throw error;
  }
  afterReady?.();
  return {
    spec,
    status: { ...outcome.status, watcherPid: readyWatcherPid },
    paths,
    backend,
    backendWhy: why,
    unit: launched.unit,
    record,
  };
}
