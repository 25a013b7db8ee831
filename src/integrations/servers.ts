// The core every runner integration shares: start the servers in the runner's main process, hand them to the
// workers, and open a worker's server there.
import { dirname } from 'node:path';
import { settleAll, startAllOrNone } from '../api/start.js';
import { UsageError } from '../errors.js';
import { type Instance, startServer } from '../index.js';
import { HANDOFF_ENV, type ServerGroup, type ServersHandoff } from './handoff.js';
import { addHeir, passesToHeir } from './keep-failed.js';
import { type IntegrationOptions, planServers, type ServerPlan } from './plan.js';

export type { ServerInfo } from '../index.js';
export { HANDOFF_ENV, readHandoff, type ServerGroup, type ServersHandoff } from './handoff.js';
export { openWorkerServer } from './open-worker.js';
export type { GroupOptions, IntegrationOptions } from './plan.js';
export { readWorkerNumber, type WorkerServer } from './worker-server.js';

/** The servers a runner's main process started, and what it hands its workers. */
export interface RunnerServers {
  /** The running main servers (one, or one per worker). */
  readonly instances: Instance[];
  /** The running extra servers (the `also` option), by name. */
  readonly also: Record<string, Instance[]>;
  /** What the workers read (also set in process.env.QUICKDB_WATCHER_SERVERS). */
  readonly handoff: ServersHandoff;
  /** Stop every server and delete its data (but one holding a kept database, which passes to its heir). */
  stop(): Promise<void>;
}

// Check the worker count a runner reports.
function validateWorkers(workers: number): number {
  if (!Number.isInteger(workers) || workers < 1 || workers > 1024)
    throw new UsageError('workers', workers, 'expected a whole number of test workers from 1 to 1024');
  return workers;
}

// How many servers a group starts: one, or one per worker (then it cannot be given one id).
function countServers(plan: ServerPlan, workers: number): number {
  if (!plan.perWorker) return 1;
  const count = validateWorkers(workers);
  if (count > 1 && plan.start.id !== undefined)
    throw new UsageError(
      plan.name === null ? 'id' : `also.${plan.name}.id`,
      plan.start.id,
      'one id cannot name a server per worker; leave `id` out, or use servers: "shared"',
    );
  return count;
}

// The handoff's part for one group of started servers.
function describeGroup(plan: ServerPlan, instances: Instance[]): ServerGroup {
  const first = instances[0] as Instance;
  return {
    stateRoot: dirname(first.info.stateDir),
    ids: instances.map((i) => i.id),
    perWorker: plan.perWorker,
  };
}

/** Start the servers (the main group and each of `also`) in the runner's main process, bound to it (default parent:
 *  this process, with a lifeline), and set process.env.QUICKDB_WATCHER_SERVERS so workers spawned later inherit the
 *  handoff. Every option is checked before any server starts; on a failed start, those already started are stopped. */
export async function startRunnerServers(
  options: IntegrationOptions,
  workers: number,
): Promise<RunnerServers> {
  const { main, also } = planServers(options);
  const plans = [main, ...also];
  const counts = plans.map((plan) => countServers(plan, workers));
  const starts = plans.map((plan, i) =>
    Array.from({ length: counts[i] as number }, () => startServer(addHeir(plan.start))),
  );
  const started = await startAllOrNone(starts.flat());
  const groups = await Promise.all(starts.map((group) => Promise.all(group))); // all settled already
  const handoff: ServersHandoff = describeGroup(main, groups[0] as Instance[]);
  if (also.length > 0)
    handoff.also = Object.fromEntries(
      also.map((plan, i) => [plan.name, describeGroup(plan, groups[i + 1] as Instance[])]),
    );
  const text = JSON.stringify(handoff);
  process.env[HANDOFF_ENV] = text;
  return {
    instances: groups[0] as Instance[],
    also: Object.fromEntries(also.map((plan, i) => [plan.name, groups[i + 1] as Instance[]])),
    handoff,
    async stop() {
      if (process.env[HANDOFF_ENV] === text) delete process.env[HANDOFF_ENV];
      // A server holding a failed test's database is left to pass to the shell that ran the runner.
      await settleAll(started.map((i) => (passesToHeir(i) ? Promise.resolve() : i.stop())));
    },
  };
}
