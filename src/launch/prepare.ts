// Preparing an instance without launching it: claim its state dir, prepare the data dir, write spec.json.
import type { BackendName } from '../backends/types.js';
import { loadDriver } from '../drivers/registry.js';
import type { Connection, Driver, DriverOptions } from '../drivers/types.js';
import { describeWriteFailure } from '../errors.js';
import { deleteOwnedDir, removeOwnMarker } from '../state/files/marker.js';
import { writeFileAtomic } from '../state/files/write-file.js';
import { guardInterrupt } from '../state/process/interrupt.js';
import { readStartTime } from '../state/process/procstat.js';
import type { InstancePaths } from '../state/records/paths.js';
import type { Spec } from '../state/records/spec.js';
import { prepareDataDir } from './datadir.js';
import type { NormalizedOptions } from './options/normalize.js';
import { chooseDataDir, isOnRam, type PlacedDataDir } from './placement.js';
import { claimInstanceDir, ensureStateRoot, generateId, removeInstanceFiles } from './state-root.js';

export interface PreparedInstance {
  spec: Spec;
  paths: InstancePaths;
  connection: Connection;
  /** Undo everything prepareInstance did (for a launch that failed before the watcher started). */
  discard(): void;
  /** The driver's background work for once the instance is ready. */
  afterReady?: () => void;
}

// The slice of the options a driver reads: the engine settings plus argv, env, stop signals and readiness.
function sliceDriverOptions(options: NormalizedOptions): DriverOptions {
  const { file, port, log } = options.ready;
  return {
    ...options.engine,
    args: [...options.args],
    env: { ...options.env },
    stopSignal: options.stopSignal,
    fastStopSignal: options.fastStopSignal,
    ready: {
      ...(file !== undefined ? { file } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(log !== undefined ? { log } : {}),
    },
  };
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

// Load and validate the driver for the options (before anything is created).
export async function loadValidDriver(options: NormalizedOptions): Promise<Driver> {
  const driver = await loadDriver(options.driver);
  driver.validate(sliceDriverOptions(options));
  return driver;
}

// Build and write an instance's spec.json for a backend; on failure nothing of it is left.
export async function prepareInstance(
  options: NormalizedOptions,
  driver: Driver,
  backend: BackendName,
): Promise<PreparedInstance> {
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
      options: sliceDriverOptions(options),
      stateRoot: options.stateRoot,
      ownRoots: [options.stateRoot, ...(placement.root ? [placement.root] : [])],
      ...(placement.given ? {} : { spareRoot: placement.root ?? options.stateRoot }),
      dataDir: dataDir.dir,
      stateDir: paths.dir,
      fresh: dataDir.fresh,
    });
    const parent = options.parent
      ? {
          pid: options.parent.pid,
          startTime: options.parent.startTime ?? readStartTime(options.parent.pid),
          lifeline: options.parent.lifeline,
          ...(options.parent.heir === undefined
            ? {}
            : { heir: { pid: options.parent.heir, startTime: readStartTime(options.parent.heir) } }),
        }
      : null;
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
      parent,
      launcher: { pid: process.pid, startTime: readStartTime(process.pid) },
      info: {
        ...plan.info,
        connection: plan.connection,
        dataOn: { on: placement.on, why: placement.why },
        ...(options.pool > 0 ? { pool: options.pool } : {}),
      },
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
      connection: plan.connection,
      discard,
      ...(plan.afterReady ? { afterReady: plan.afterReady } : {}),
    };
  } catch (error) {
    interrupt.release();
    discard();
    throw error;
  }
}
