// The library: startServer() and the types around it.
import { controlInstance } from './launcher/control.js';
import type { Instance } from './launcher/instance.js';
import { normalizeOptions, type StartOptions } from './launcher/options.js';
import { startInstance } from './launcher/start.js';

export type { DatabaseEntry } from './drivers/databases.js';
export { QuickdbError, UsageError } from './errors.js';
export type { ControlResult } from './launcher/control.js';
export { TestDatabase } from './launcher/databases/test-database.js';
export type { InstanceInfo } from './launcher/instance.js';
export { Instance } from './launcher/instance.js';
export type { MigrateFunction, MigrateOption } from './launcher/migrate/options.js';
export type { StartOptions } from './launcher/options.js';
export { controlInstance };

/**
 * Start a server (PostgreSQL by default, MariaDB, Redis or any command) under a detached watcher, and resolve once it
 * is ready. By default its life is bound to this process through a lifeline: when this process dies, even by
 * SIGKILL, the watcher stops the server and deletes its data dir.
 *
 * @throws {UsageError} an option is not valid (the message names it, repeats the value and says what is allowed).
 * @throws {QuickdbError} the server could not be started; `details` holds the tails of its logs.
 */
export async function startServer(options: StartOptions = {}): Promise<Instance> {
  return startInstance(normalizeOptions(options));
}
