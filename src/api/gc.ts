// Garbage collection for a library user: finish the instances whose watcher is gone, as `quickdb-watcher gc` does.
import { validateFlag } from '../launch/options/normalize.js';
import type { GcAction } from '../manage/gc-actions.js';
import { checkManageOptions, type ManageOptions } from './options.js';

export type { GcAction };

/** What {@link collectGarbage} does, and where. */
export interface GcOptions extends ManageOptions {
  /** Only say what would be done (`gc --dry-run`). Default false. */
  dryRun?: boolean;
  /** Only recover dead, unfinished instances and report nothing else (what `up` does before it launches). */
  quick?: boolean;
}

/**
 * Clean up after the instances of this user whose watcher is gone (killed, or the machine rebooted): stop an orphan
 * server, delete a data dir that holds our marker (per its cleanup rule), release the unit, tidy the records.
 * Instances that still run are not touched.
 *
 * @example
 * ```ts
 * for (const done of await collectGarbage()) console.log(`${done.id}: ${done.action}: ${done.detail}`);
 * ```
 * @returns what was done (or, with `dryRun`, would be) per instance; empty when there was nothing to do.
 * @throws {UsageError} the options are not valid, or the state root is open to other users.
 */
export async function collectGarbage(options?: GcOptions): Promise<GcAction[]> {
  // collectGarbage checks the root is private itself.
  const checked = checkManageOptions('collectGarbage', options, ['dryRun', 'quick'], false);
  validateFlag('dryRun', checked.dryRun);
  validateFlag('quick', checked.quick);
  const { stateRoot, dryRun, quick } = checked;
  const given = { ...(dryRun !== undefined ? { dryRun } : {}), ...(quick !== undefined ? { quick } : {}) };
  // Loaded on use: gc brings the backstop, the backends and the RAM sweeps, which `import 'quickdb-watcher'` need not.
  const { collectGarbage: collectAt } = await import('../manage/gc.js');
  return collectAt(stateRoot, given);
}
