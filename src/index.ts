// The library: startServer() and the types around it.
import { controlInstance } from './launcher/control.js';
import type { Instance } from './launcher/instance.js';
import { normalizeOptions } from './launcher/options.js';
import { startInstance } from './launcher/start.js';
import type { DriverName, StartOptions } from './launcher/start-options.js';

export type { BackendChoice } from './backends/types.js';
export type { DatabaseEntry } from './drivers/databases.js';
export { QuickdbError, UsageError } from './errors.js';
export type { ControlAction, ControlResult } from './launcher/control.js';
export { TestDatabase } from './launcher/databases/test-database.js';
export type { InstanceInfo, InstanceUrl } from './launcher/instance.js';
export { Instance } from './launcher/instance.js';
export type { MigrateFunction, MigrateOption } from './launcher/migrate/options.js';
export type { DataOn } from './launcher/placement.js';
export type { ServerDataDir, ServerInfo } from './launcher/server-info.js';
export type { DatabaseDriverName, DriverName, StartOptions } from './launcher/start-options.js';
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
