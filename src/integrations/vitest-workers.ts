// How many workers vitest runs, resolved as vitest 3.2 and 4 resolve it: what the config says, else vitest's default
// from the CPU count (vitest leaves `maxWorkers` unset then, and counts on the pool to apply the default).
import { availableParallelism } from 'node:os';

/** The parts of a vitest config (3.2 and 4 alike) that decide its worker count. */
interface WorkerConfig {
  maxWorkers?: unknown;
  watch?: boolean;
  pool?: string;
  /** vitest 3 only: a pool's own limit (`poolOptions.forks.maxForks`…), read before maxWorkers. */
  poolOptions?: object;
}

/** What the globalSetup is given of vitest's project: its config and the whole run's (`project.vitest.config`). */
export interface VitestWorkerProject {
  config: WorkerConfig;
  vitest?: { config: WorkerConfig };
}

// vitest 3's limit of the project's pool (its pools read the root config's poolOptions): 1 for a single fork or
// thread, else maxForks or maxThreads when set.
function readPoolLimit(pool: string | undefined, root: WorkerConfig): unknown {
  const pools = root.poolOptions as Record<string, Record<string, unknown> | undefined> | undefined;
  const options = pool === undefined ? undefined : pools?.[pool];
  if (options === undefined) return undefined;
  if (options.singleFork === true || options.singleThread === true) return 1;
  return options.maxForks ?? options.maxThreads;
}

/** The number of workers vitest runs the project's files on (each has a VITEST_POOL_ID from 1 to it): the pool's own
 *  limit (vitest 3), the project's or the run's maxWorkers (1 without file parallelism), else vitest's default: one
 *  less than the CPUs available, half of them in watch mode, at least 1. A bad value is returned as it is. */
export function countVitestWorkers(project: VitestWorkerProject): unknown {
  const root = project.vitest?.config ?? project.config;
  const given = readPoolLimit(project.config.pool, root) || project.config.maxWorkers || root.maxWorkers;
  if (given) return given;
  const cpus = availableParallelism();
  return root.watch ? Math.max(Math.floor(cpus / 2), 1) : Math.max(cpus - 1, 1);
}
