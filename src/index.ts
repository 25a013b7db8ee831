// The library: startServer() and the types around it.

import { normalizeOptions } from './launch/options/normalize.js';
import type { DriverName, StartOptions } from './launch/options/start-options.js';
import { controlInstance } from './manage/control.js';
import type { Instance } from './start/instance.js';
import { startInstance } from './start/start.js';

export type { BackendChoice } from './backends/types.js';
export type { DatabaseEntry } from './drivers/databases.js';
export { QuickdbError, UsageError } from './errors.js';
export type { MigrateFunction, MigrateOption } from './launch/options/migrate.js';
export type { DatabaseDriverName, DriverName, StartOptions } from './launch/options/start-options.js';
export type { DataOn } from './launch/placement.js';
export type { ServerDataDir, ServerInfo } from './launch/server-info.js';
export type { ControlAction, ControlResult } from './manage/control.js';
export { TestDatabase } from './start/databases/test-database.js';
export type { InstanceInfo, InstanceUrl } from './start/instance.js';
export { Instance } from './start/instance.js';
export { controlInstance };

/**
 * Start a server (PostgreSQL by default; MariaDB/MySQL, Redis or any command) under a detached watcher, and resolve
 * once it is ready. By default its life is bound to this process through a lifeline: when this process dies, even
 * by SIGKILL, the watcher stops the server and deletes its data dir. The instance is typed by its driver: a
 * database instance's `url` is a `string`.
 *
 * @example
 * ```ts
 * const db = await startServer({ driver: 'postgresql' });
 * try { console.log(db.url); } finally { await db.stop(); }
 * ```
 * @param options see {@link StartOptions}; an unknown key is refused.
 * @throws {UsageError} an option is not valid or not known (the message names it by its library name, repeats the
 *   value and says what is allowed; `error.option` holds the name).
 * @throws {QuickdbError} the server could not be started; `details` holds the tails of its logs.
 */
export async function startServer<D extends DriverName = 'postgresql'>(
  options: StartOptions<D> = {},
): Promise<Instance<D>> {
  return (await startInstance(normalizeOptions(options))) as Instance<D>;
}
