// A worker's servers from the handoff: the main one, with the extras (`also`) hung on it by name.
import { settleAll } from '../api/start.js';
import type { ServersHandoff } from './handoff.js';
import { openServerById, pickId, type WorkerServer } from './worker-server.js';

/** The main server with `extras` as its `also`; closing it closes them all (the first failure is thrown). */
export function attachAlso(main: WorkerServer, extras: Record<string, WorkerServer>): WorkerServer {
  const all = [main, ...Object.values(extras)];
  return {
    ...main,
    also: extras,
    close: () => settleAll(all.map((server) => server.close())),
  };
}

/** The server of worker N (1-based; shared mode: the one server), opened by id under the handoff's state root, with
 *  the extra servers of `also` (worker N's, or the shared one) as its `also`. */
export function openWorkerServer(handoff: ServersHandoff, worker: number): WorkerServer {
  const mainId = pickId(handoff, worker, 'server');
  const extras = Object.entries(handoff.also ?? {}).map(
    ([name, group]) => [name, group.stateRoot, pickId(group, worker, `also.${name} server`)] as const,
  );
  return attachAlso(
    openServerById(handoff.stateRoot, mainId),
    Object.fromEntries(extras.map(([name, root, id]) => [name, openServerById(root, id)])),
  );
}
