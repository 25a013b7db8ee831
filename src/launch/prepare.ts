// Preparing an instance without launching it: claim its state dir, prepare the data dir, write spec.json.
import type { BackendName } from '../backends/types.js';
import { describeWriteFailure } from '../errors.js';
import { deleteOwnedDir, removeOwnMarker } from '../state/files/marker.js';
import { writeFileAtomic } from '../state/files/write-file.js';
import { guardInterrupt } from '../state/process/interrupt.js';
import { readStartTime } from '../state/process/procstat.js';
import type { InstancePaths } from '../state/records/paths.js';
import type { ParentSpec, Spec } from '../state/records/spec.js';
import { prepareDataDir } from './datadir.js';
import type { NormalizedOptions } from './options/normalize.js';
import { chooseDataDir, isOnRam, type PlacedDataDir } from './placement.js';
import { formatLaunchRecord, type LaunchRecord } from './record.js';
import { readServerInfo } from './server-info.js';
import { claimInstanceDir, ensureStateRoot, generateId, removeInstanceFiles } from './state-root.js';
import type { ValidDriver } from './valid-driver.js';

/** Where `generate` finds it (it loads the driver, then prepares). */

export interface PreparedInstance {
  spec: Spec;
  paths: InstancePaths;
  /** What spec.json's `info` records, as the launch knew it (never read back). */
  record: LaunchRecord;
  /** Undo everything prepareInstance did (for a launch that failed before the watcher started). */
  discard(): void;
  /** The driver's background work for once the instance is ready. */
  afterReady?: () => void;
}

// The data dir to use: the one given, else the default placement (RAM when it has room, or disk).
function placeDataDir(options: NormalizedOptions, paths: InstancePaths, id: string): PlacedDataDir {
  if (options.dataDir === undefined) return chooseDataDir(options.dataOn, paths, id, options.stateRoot);
  return {
    dir: options.dataDir,
    on: isOnRam(options.dataDir) ? 'ram' : 'disk',
    why: 'given with --data-dir',
  };
}

// The parent as spec.json records it: the pid and start time the options captured (no second read), and the heir.
function recordParent(parent: NormalizedOptions['parent']): ParentSpec | null {
  if (!parent) return null;
  const { pid, startTime, lifeline, heir } = parent;
  return { pid, startTime, lifeline, ...(heir === undefined ? {} : { heir: { ...heir } }) };
}

// Build and write an instance's spec.json for a backend; on failure nothing of it is left.
export async function prepareInstance(
  options: NormalizedOptions,
  valid: ValidDriver,
  backend: BackendName,
  launch?: { onClaimed(paths: InstancePaths): void },
): Promise<PreparedInstance> {
  const { driver } = valid;
  ensureStateRoot(options.stateRoot);
  const id = options.id ?? generateId(driver.name);
  // Interrupted while the data dir is made (a first snapshot build takes seconds): nothing of it is left behind.
  // Guarded before the claim, so that a Ctrl-C just after it finds the handler there.
  let claimed: InstancePaths | null = null;
  const interrupt = guardInterrupt(() => claimed && discard());
  try {
    claimed = claimInstanceDir(options.stateRoot, id);
  } catch (error) {
    interrupt.release();
    throw error;
  }
  const paths = claimed;
  try {
    launch?.onClaimed(paths);
  } catch (error) {
    interrupt.release();
    removeInstanceFiles(paths);
    throw error;
  }
  let dataDir: ReturnType<typeof prepareDataDir> | null = null;
  // Every removal here goes through the checked deletions: a data dir the ownership check refuses (swapped for a
  // link, say) is left, and so is a state dir still holding it.
  const discard = (): void => {
    if (dataDir?.created) {
      const { dir, realPath } = dataDir;
      deleteOwnedDir({ id, dir, realPath, stateRoot: options.stateRoot, cutShort: true });
    } else if (dataDir?.fresh) removeOwnMarker(dataDir.dir, id);
    removeInstanceFiles(paths);
  };
  try {
    const placement = placeDataDir(options, paths, id);
    dataDir = prepareDataDir(placement.dir, id, options.stateRoot);
    const plan = await driver.plan({
      id,
      options: valid.options,
      stateRoot: options.stateRoot,
      ownRoots: [options.stateRoot, ...(placement.root ? [placement.root] : [])],
      ...(placement.given || options.spares.count === 0
        ? {}
        : { spares: { root: placement.root ?? options.stateRoot, ...options.spares } }),
      dataDir: dataDir.dir,
      stateDir: paths.dir,
      fresh: dataDir.fresh,
    });
    const record: LaunchRecord = {
      connection: plan.connection,
      dataOn: { on: placement.on, why: placement.why },
      server: readServerInfo(plan.info?.server),
      pool: options.pool,
    };
    const spec: Spec = {
      version: 1,
      id,
      driver: driver.name,
      backend,
      stateRoot: options.stateRoot,
      stateDir: paths.dir,
      dataDir: dataDir.dir,
      dataDirReal: dataDir.realPath,
      cleanup: options.cleanup,
      server: plan.server,
      ready: plan.ready,
      readyTimeoutMs: options.ready.timeoutMs,
      stopGraceMs: options.stopGraceMs,
      fastGraceMs: options.fastGraceMs,
      pollMs: options.pollMs,
      parent: recordParent(options.parent),
      launcher: { pid: process.pid, startTime: readStartTime(process.pid) },
      info: formatLaunchRecord(record),
    };
    try {
      writeFileAtomic(paths.spec, `${JSON.stringify(spec, null, 2)}\n`);
    } catch (cause) {
      throw describeWriteFailure(cause, paths.spec);
    }
    interrupt.release();
    return {
      spec,
      paths,
      record,
      discard,
      ...(plan.afterReady ? { afterReady: plan.afterReady } : {}),
    };
  } catch (error) {
    interrupt.release();
    discard();
    throw error;
  }
}
