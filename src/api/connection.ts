// The connection of an instance read back from its record: what `list`/`status` show, and what `env` prints.
import type { Connection } from '../drivers/types.js';
import { readRunningConnection } from '../manage/shown-connection.js';
import { checkId, checkManageOptions, type ManageOptions } from './options.js';

export { type ConnectionView, describeConnection } from '../manage/shown-connection.js';

/**
 * The url and env of a running instance, as `quickdb-watcher env ID` prints them: read back from its record and
 * checked to lead to the instance's own server.
 *
 * @example
 * ```ts
 * const { url, env } = readConnection('postgresql-1a2b3c4d');
 * ```
 * @throws {UsageError} there is no such instance, or the options are not valid.
 * @throws {QuickdbError} the instance is not running, or its record is refused.
 */
export function readConnection(id: string, options?: ManageOptions): Connection {
  checkId(id);
  return readRunningConnection(checkManageOptions('readConnection', options).stateRoot, id);
}
