// Starting servers: startServer() (the library's entry), options checked once before a start, and several at once.
import { type NormalizedOptions, normalizeOptions } from '../launch/options/normalize.js';
import type { DriverName, StartOptions } from '../launch/options/start-options.js';
import type { Instance } from '../start/instance.js';
import { startInstance } from '../start/start.js';

export { settleAll, startAllOrNone } from '../start/start-all.js';

/** Start options checked once: the state root they chose, and the start they make. */
export interface CheckedStart<D extends DriverName> {
  readonly stateRoot: string;
  start(): Promise<Instance<D>>;
}

// Check the options once (a UsageError names the bad one); the start then uses what was checked.
export function checkStart<D extends DriverName = 'postgresql'>(
  options: StartOptions<D> = {},
): CheckedStart<D> {
  const normalized: NormalizedOptions = normalizeOptions(options);
  return {
    stateRoot: normalized.stateRoot,
    start: async () => (await startInstance(normalized)) as Instance<D>,
  };
}

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
  return checkStart(options).start();
}
