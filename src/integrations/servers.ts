// The core every runner integration shares: start the servers in the runner's main process, hand them to the
// workers, and open a worker's server there.
import { dirname } from 'node:path';
import { hasDatabaseAdmin } from '../drivers/admins.js';
import { UsageError } from '../errors.js';
import { type Instance, type StartOptions, startServer } from '../index.js';
import { startAllOrNone } from '../launcher/start-all.js';
import { HANDOFF_ENV, type ServersHandoff } from './handoff.js';

export { HANDOFF_ENV, readHandoff, type ServersHandoff } from './handoff.js';
export { openWorkerServer, readWorkerNumber, type WorkerServer } from './worker-server.js';

/** Options of every integration: the same as startServer's, plus how many servers. */
export interface IntegrationOptions extends StartOptions {
  /** One server for the whole run ("shared"; its per-test databases keep tests apart) or one per worker
   *  ("per-worker"). Default: "shared" for drivers with per-test databases, "per-worker" for a command. */
  servers?: 'shared' | 'per-worker';
}

/** The servers a runner's main process started, and what it hands its workers. */
export interface RunnerServers {
  /** The running servers (one, or one per worker). */
  readonly instances: Instance[];
  /** What the workers read (also set in process.env.QUICKDB_WATCHER_SERVERS). */
  readonly handoff: ServersHandoff;
  /** Stop every server and delete its data. */
  stop(): Promise<void>;
}

const SERVERS_CHOICES = ['shared', 'per-worker'] as const;

/** Split the integration's own option off, validated; the rest goes to startServer as it is. */
export function splitServersOption(options: IntegrationOptions): {
  perWorker: boolean;
  start: StartOptions;
} {
  const { servers, ...start } = options;
  if (servers !== undefined && !SERVERS_CHOICES.includes(servers))
    throw new UsageError('servers', servers, `expected one of: ${SERVERS_CHOICES.join(', ')}`);
  const perWorker =
    (servers ?? (hasDatabaseAdmin(start.driver ?? 'postgresql') ? 'shared' : 'per-worker')) === 'per-worker';
  return { perWorker, start };
}

// Check the worker count a runner reports.
function validateWorkers(workers: number): number {
  if (!Number.isInteger(workers) || workers < 1 || workers > 1024)
    throw new UsageError('workers', workers, 'expected a whole number of test workers from 1 to 1024');
  return workers;
}

/** Start the servers in the runner's main process, bound to it (default parent: this process, with a lifeline), and
 *  set process.env.QUICKDB_WATCHER_SERVERS so workers spawned later inherit the handoff. On a failed start, the
 *  servers already started are stopped. */
export async function startRunnerServers(
  options: IntegrationOptions,
  workers: number,
): Promise<RunnerServers> {
  const { perWorker, start } = splitServersOption(options);
  const count = perWorker ? validateWorkers(workers) : 1;
  if (perWorker && count > 1 && start.id !== undefined)
    throw new UsageError(
      'id',
      start.id,
      'one id cannot name a server per worker; leave `id` out, or use servers: "shared"',
    );
  const instances = await startAllOrNone(Array.from({ length: count }, () => startServer(start)));
  const first = instances[0] as Instance;
  const handoff: ServersHandoff = {
    stateRoot: dirname(first.info.stateDir),
    ids: instances.map((i) => i.id),
    perWorker,
  };
  const text = JSON.stringify(handoff);
  process.env[HANDOFF_ENV] = text;
  return {
    instances,
    handoff,
    async stop() {
      if (process.env[HANDOFF_ENV] === text) delete process.env[HANDOFF_ENV];
      const results = await Promise.allSettled(instances.map((i) => i.stop()));
      const error = results.find((r) => r.status === 'rejected');
      if (error) throw error.reason;
    },
  };
}
