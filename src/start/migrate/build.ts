// Building a migrated snapshot once per migration content: a private instance from the plain snapshot, migrated,
// sealed (template database), stopped with its data kept, saved under the migrated key; the lock makes parallel
// workers wait for one build. Nothing half-migrated is ever saved: a failing migration stops the instance.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabaseAdmin } from '../../drivers/admins.js';
import type { DatabaseAdmin } from '../../drivers/databases.js';
import { META_NAME, resolveSnapshotsDir } from '../../drivers/snapshots/location.js';
import { withLock } from '../../drivers/snapshots/lock.js';
import { type MissingMigratedSnapshot, showWaiting } from '../../drivers/snapshots/obtain.js';
import { startProgress } from '../../drivers/snapshots/progress.js';
import type { Connection } from '../../drivers/types.js';
import { launchInstance } from '../../launch/launch.js';
import { holdLifeline } from '../../launch/lifeline.js';
import { describeMigration, type Migration } from '../../launch/options/migrate.js';
import type { NormalizedOptions } from '../../launch/options/normalize.js';
import { removeInstanceFiles } from '../../launch/state-root.js';
import { controlInstance } from '../../manage/control.js';
import { captureParentRef } from '../../parent/parent-ref.js';
import { deleteOwnedDir } from '../../state/files/marker.js';
import { guardInterrupt } from '../../state/process/interrupt.js';
import { pruneMigratedSnapshots } from './prune.js';
import { runMigration } from './run.js';

/** What `migrateLive` needs of the instance: its driver, connection and server (as the driver described it). */
export interface MigratedInstance {
  driver: string;
  connection: Connection;
  server?: Record<string, unknown> | undefined;
}

// Run the migration on a live instance and make its template database (and, for a snapshot, forget the build's
// password); the admin connection is closed after.
export async function migrateLive(
  instance: MigratedInstance,
  migration: Migration,
  forSnapshot = false,
): Promise<void> {
  const admin: DatabaseAdmin = await openDatabaseAdmin(instance.driver, instance.connection);
  try {
    await runMigration(migration, admin, instance.server);
    await admin.sealTemplate();
    if (forSnapshot) await admin.forgetAccess();
  } finally {
    await admin.close();
  }
}

// The private instance a build runs in: the plain snapshot, the default account, its private socket only where the
// engine allows (PostgreSQL: no password is ever set, so none can linger in the saved files; MariaDB's TCP root is
// dropped before the save), bound to this process by a lifeline.
function buildOptions(options: NormalizedOptions): NormalizedOptions {
  return {
    ...options,
    id: undefined,
    dataDir: undefined,
    cleanup: true,
    parent: { ...captureParentRef(process.pid), lifeline: true },
    migration: null,
    pool: 0,
    exports: { exports: {}, envFile: undefined },
    engine: {
      ...options.engine,
      port: undefined,
      migration: undefined,
      access: { auth: 'password' },
      pgHba: [],
      tcp: false,
    },
  };
}

async function buildOnce(
  options: NormalizedOptions,
  migration: Migration,
  hash: string,
  missing: MissingMigratedSnapshot,
) {
  const dir = resolveSnapshotsDir();
  const progress = startProgress(`running the migrations once (${describeMigration(migration)})`);
  const started = Date.now();
  const launched = await launchInstance(buildOptions(options));
  const { spec, paths } = launched;
  const lifeline = await holdLifeline(paths.lifeline).catch(() => null);
  try {
    const { connection, server } = launched.record;
    await migrateLive({ driver: spec.driver, connection, server: server ?? undefined }, migration, true);
  } catch (error) {
    progress.done('the migrations failed; nothing was cached');
    await controlInstance(spec.stateRoot, spec.id, 'stop').catch(() => {});
    lifeline?.destroy();
    throw error;
  }
  // The lifeline goes only after the stop: its end alone would tell the watcher to clean up.
  await controlInstance(spec.stateRoot, spec.id, 'keep').finally(() => lifeline?.destroy());
  // The build's kept data and record go even when a Ctrl-C ends the process mid-save.
  const forget = (): void => {
    deleteOwnedDir({ id: spec.id, dir: spec.dataDir, realPath: spec.dataDirReal, stateRoot: spec.stateRoot });
    removeInstanceFiles(paths);
  };
  const interrupt = guardInterrupt(forget);
  try {
    const { saveSnapshot } = await import('../../drivers/snapshots/save.js');
    await saveSnapshot(join(spec.dataDir, missing.subdir), dir, {
      key: missing.key,
      ...missing.meta,
      createdAt: new Date().toISOString(),
      buildMs: Date.now() - started,
      base: missing.base,
      migration: { hash, what: describeMigration(migration), project: migration.project },
    });
  } finally {
    interrupt.release();
    forget();
  }
  progress.done(`migrated snapshot ${missing.key} saved`);
}

// Build the migrated snapshot `missing` names, unless another process did while we waited for the lock.
export async function buildMigratedSnapshot(
  options: NormalizedOptions,
  migration: Migration,
  hash: string,
  missing: MissingMigratedSnapshot,
): Promise<void> {
  const dir = resolveSnapshotsDir();
  await withLock(
    join(dir, `.${missing.key}.lock`),
    async () => {
      if (existsSync(join(dir, missing.key, META_NAME))) return;
      await buildOnce(options, migration, hash, missing);
      pruneMigratedSnapshots(dir, missing.base, migration.project);
    },
    { waiting: showWaiting(`the migrated snapshot ${missing.key}`) },
  );
}
