// Starting an instance for the library: launch it, hold its lifeline, bring its migrations (a cached migrated
// snapshot, built once per content) and start filling its warm pool.

import { QuickdbError } from '../errors.js';
import { launchInstance } from '../launch/launch.js';
import { holdLifeline } from '../launch/lifeline.js';
import type { Migration } from '../launch/options/migrate.js';
import type { NormalizedOptions } from '../launch/options/normalize.js';
import { controlInstance } from '../manage/control.js';
import { Instance } from './instance.js';

// Launch and, when this process is the parent, hold the lifeline; export the connection as asked; on failure nothing
// is left running.
async function launchHeld(options: NormalizedOptions): Promise<Instance> {
  const launched = await launchInstance(options);
  try {
    const lifeline = options.parent?.lifeline ? await holdLifeline(launched.paths.lifeline) : null;
    return new Instance(launched, lifeline, options.exports);
  } catch (error) {
    await controlInstance(options.stateRoot, launched.spec.id, 'stop').catch(() => {});
    // Ready, then stopped (a signal) before this process held it: for the caller it never started.
    const why = `it ended before it was handed over (${(error as Error).message})`;
    throw new QuickdbError(`the server of ${launched.spec.id} did not start: ${why}`, { cause: error });
  }
}

// Start from the migrated snapshot, building it first when this content was never migrated; without snapshots,
// migrate the instance itself.
async function startMigrated(options: NormalizedOptions, migration: Migration): Promise<Instance> {
  // Loaded only for a migration: a plain start needs none of it.
  const { buildMigratedSnapshot, migrateLive } = await import('./migrate/build.js');
  const { MissingMigratedSnapshot } = await import('../drivers/snapshots/obtain.js');
  const { hashMigration } = await import('./migrate/hash.js');
  if (!options.engine.snapshot) {
    const instance = await launchHeld(options);
    try {
      const { driver, server } = instance.info;
      await migrateLive({ driver, connection: { url: instance.url, env: instance.env }, server }, migration);
    } catch (error) {
      await instance.stop().catch(() => {});
      throw error;
    }
    return instance;
  }
  const hash = hashMigration(migration);
  const wanted = { ...options, engine: { ...options.engine, migration: hash } };
  try {
    return await launchHeld(wanted);
  } catch (error) {
    if (!(error instanceof MissingMigratedSnapshot)) throw error;
    await buildMigratedSnapshot(options, migration, hash, error);
  }
  return launchHeld(wanted);
}

// Say loudly that an instance takes anyone on its port (auth 'trust' was asked for by name).
function warnTrust(instance: Instance): void {
  if (instance.info.auth !== 'trust') return;
  const port = /:(\d+)(\/|$)/.exec(instance.info.url ?? '')?.[1] ?? '?';
  process.stderr.write(
    `quickdb-watcher: warning: ${instance.id} takes anyone on 127.0.0.1:${port} without a password ` +
      "(auth 'trust'): every local user can connect; leave it out unless a suite needs it\n",
  );
}

// Start an instance as the options say and resolve once it is ready (and migrated).
export async function startInstance(options: NormalizedOptions): Promise<Instance> {
  const instance = options.migration
    ? await startMigrated(options, options.migration)
    : await launchHeld(options);
  warnTrust(instance);
  instance.fillPool();
  return instance;
}
