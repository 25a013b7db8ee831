// Reading the instances of this user: all of them, one in detail, and what holds one (its unit).
import {
  type InstanceView,
  inspectInstance as inspectAt,
  listInstances as listAt,
} from '../manage/inventory.js';
import { checkId, checkManageOptions, type ManageOptions } from './options.js';

export type { InstanceView };

/**
 * Every instance under the state root (running, stopped with its data kept, failed, being launched), sorted by id.
 *
 * @example
 * ```ts
 * for (const view of listInstances()) console.log(view.id, view.phase, view.serverAlive);
 * ```
 * @throws {UsageError} the options are not valid, or the state root is open to other users.
 */
export function listInstances(options?: ManageOptions): InstanceView[] {
  return listAt(checkManageOptions('listInstances', options).stateRoot);
}

/**
 * One instance by id: its phase (`'ready'` while it serves), pids and whether each is alive, data dir, and the server
 * it runs (`server.version`); null when there is no such instance.
 *
 * @throws {UsageError} the id is not a string, the options are not valid, or the state root is open to other users.
 */
export function inspectInstance(id: string, options?: ManageOptions): InstanceView | null {
  checkId(id);
  return inspectAt(checkManageOptions('inspectInstance', options).stateRoot, id);
}

// What holds an instance's watcher (its systemd unit, launchd job), as its backend describes it; null when unknown.
export async function describeUnit(view: InstanceView): Promise<string | null> {
  if (!view.spec) return null;
  const spec = view.spec;
  const { loadBackend } = await import('../backends/index.js');
  const backend = await loadBackend(spec.backend).catch(() => null);
  return backend?.describeUnit ? await backend.describeUnit(spec) : null;
}
