// Launching one instance: claim state, prepare the data dir, write the spec, start the runner, wait for ready.
import { rmSync, writeFileSync } from 'node:fs';
import { chooseBackend } from '../backends/index.js';
import type { Backend } from '../backends/types.js';
import { loadDriver } from '../drivers/index.js';
import type { Connection } from '../drivers/types.js';
import { MARKER_NAME } from '../state/marker.js';
import type { InstancePaths } from '../state/paths.js';
import { readStartTime } from '../state/procstat.js';
import type { Spec } from '../state/spec.js';
import type { Status } from '../state/status.js';
import { prepareDataDir } from './datadir.js';
import { abortLaunch } from './failure.js';
import type { NormalizedOptions } from './options.js';
import { claimInstanceDir, ensureStateRoot, generateId } from './state-root.js';
import { waitForReady } from './wait.js';

export interface Launched {
  spec: Spec;
  status: Status;
  paths: InstancePaths;
  backend: Backend;
  backendWhy: string;
  unit: string | undefined;
  connection: Connection;
}

// Start an instance and resolve once its runner reports ready; on failure nothing of it is left.
export async function launchInstance(options: NormalizedOptions): Promise<Launched> {
  const driver = await loadDriver(options.driver);
  driver.validate(options);
  const { backend, why } = await chooseBackend(options.backend);
  ensureStateRoot(options.stateRoot);
  const id = options.id ?? generateId(driver.name);
  const paths = claimInstanceDir(options.stateRoot, id);
  let dataDir: ReturnType<typeof prepareDataDir> | null = null;
  let runnerStarted = false;
  try {
    dataDir = prepareDataDir(options.dataDir ?? paths.defaultDataDir, id, options.stateRoot);
    const plan = await driver.plan({
      id,
      options,
      dataDir: dataDir.dir,
      stateDir: paths.dir,
      fresh: dataDir.fresh,
    });
    const parent = options.parent
      ? {
          pid: options.parent.pid,
          startTime: options.parent.startTime ?? readStartTime(options.parent.pid),
          lifeline: options.parent.lifeline,
        }
      : null;
    const spec: Spec = {
      version: 1,
      id,
      driver: driver.name,
      backend: backend.name,
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
      info: { ...plan.info, connection: plan.connection },
    };
    writeFileSync(paths.spec, `${JSON.stringify(spec, null, 2)}\n`, { mode: 0o600 });
    runnerStarted = true;
    const launched = await backend.launch(spec, paths);
    const runnerPid = launched.runnerPid;
    const outcome = await waitForReady(
      paths.status,
      () => (runnerPid ? { pid: runnerPid } : null),
      options.ready.timeoutMs + 15_000,
    );
    if (outcome.kind === 'failed') {
      throw await abortLaunch({ spec, paths, backend, status: outcome.status, why: outcome.why });
    }
    return {
      spec,
      status: outcome.status,
      paths,
      backend,
      backendWhy: why,
      unit: launched.unit,
      connection: plan.connection,
    };
  } catch (error) {
    if (!runnerStarted) {
      if (dataDir?.created) rmSync(dataDir.dir, { recursive: true, force: true });
      else if (dataDir) rmSync(`${dataDir.dir}/${MARKER_NAME}`, { force: true });
      rmSync(paths.dir, { recursive: true, force: true });
    }
    throw error;
  }
}
