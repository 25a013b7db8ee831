// Deleting what a stopped instance kept (its data dir and record), as `quickdb-watcher rm ID` does.
import { type KeptRemoval, removeKeptInstance as removeAt } from '../manage/remove-kept.js';
import { checkId, checkManageOptions, type ManageOptions } from './options.js';

export type { KeptRemoval };

/**
 * Delete what a stopped instance kept (`stop --keep`, SIGINT, `cleanup: false`): its data dir, only when it holds our
 * marker for that id, and then its record.
 *
 * @throws {UsageError} there is no such instance, or the options are not valid.
 * @throws {QuickdbError} the instance is not stopped, or its record is refused.
 */
export function removeKeptInstance(id: string, options?: ManageOptions): KeptRemoval {
  checkId(id);
  // removeKeptInstance checks the root is private itself.
  const { stateRoot } = checkManageOptions('removeKeptInstance', options, [], false);
  return removeAt(stateRoot, id);
}
