// A fresh engine data dir: cloned from the cached snapshot, or initialised (and then kept as the snapshot).
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { QuickdbError } from '../../errors.js';
import type { SpareRequest } from '../types.js';
import { cloneTree } from './clone.js';
import { META_NAME, makeSnapshotKey, resolveSnapshotsDir } from './location.js';
import { type LockWaiter, withLock } from './lock.js';
import { startProgress } from './progress.js';
import { refillSpares, takeSpare } from './spare.js';

export interface DataDirRecipe {
  driver: string;
  version: string;
  /** Everything besides driver and version that shapes the initialised dir (binaries, init flags, owner). */
  config: Record<string, unknown>;
  /** The path to fill; it must not exist yet. */
  target: string;
  useSnapshot: boolean;
  /** Where pre-cloned spares are kept (our private root beside the target) and how many; none for a given dir. */
  spares?: SpareRequest;
  /** The hash of the migrations this data dir must hold: only their snapshot will do (MissingMigratedSnapshot). */
  migration?: string;
  /** Initialise an engine data dir at the given (not yet existing) path. */
  init(target: string): Promise<void>;
}

export interface DataDirOrigin {
  how: 'spare' | 'cloned' | 'built' | 'initialised';
  key?: string;
  ms: number;
  /** Refill the spares the next launches take (call it once the instance is ready). */
  refill?: () => void;
}

// How a data dir was made, for the instance's info ("reused" when it already held data).
export function describeOrigin(origin: DataDirOrigin | null): Record<string, unknown> {
  if (!origin) return { how: 'reused' };
  return { how: origin.how, ms: origin.ms, ...(origin.key ? { snapshot: origin.key } : {}) };
}

// The origin of a data dir made from the snapshot in snapshotDir, with the refill of its spares when there is a
// spare root (a dir the user named has none).
function fromSnapshot(
  how: 'spare' | 'cloned' | 'built',
  recipe: DataDirRecipe,
  snapshotDir: string,
  key: string,
  started: number,
): DataDirOrigin {
  const spares = recipe.spares;
  const origin: DataDirOrigin = { how, key, ms: Date.now() - started };
  return spares ? { ...origin, refill: () => refillSpares(spares, snapshotDir, key) } : origin;
}

// Take the spare when there is one, else clone the snapshot; either way the next spare can be refilled later.
async function cloneSnapshot(recipe: DataDirRecipe, snapshotDir: string, key: string, started: number) {
  const root = recipe.spares?.root;
  if (root && takeSpare(root, snapshotDir, key, recipe.target))
    return fromSnapshot('spare', recipe, snapshotDir, key, started);
  await cloneTree(join(snapshotDir, 'data'), recipe.target);
  return fromSnapshot('cloned', recipe, snapshotDir, key, started);
}

/** The migrated snapshot a launch needs is not built yet: the launcher builds it (a migration run) and retries. */
export class MissingMigratedSnapshot extends QuickdbError {
  constructor(
    readonly key: string,
    readonly base: string,
    readonly meta: { driver: string; version: string; config: Record<string, unknown> },
    /** The engine's dir inside an instance data dir (what the snapshot's data/ holds). */
    readonly subdir: string,
  ) {
    super(`the migrated snapshot ${key} is not built yet`);
  }
}

// What a launch shows while another process builds what it needs (nothing when the builder is this process: its own
// progress shows).
export function showWaiting(what: string, verb = 'built'): LockWaiter {
  return (owner) => {
    if (owner === process.pid) return undefined;
    const by = owner === null ? 'another process' : `pid ${owner}`;
    const progress = startProgress(`waiting for ${what} (${verb} by ${by})`);
    return () => progress.done(`done waiting for ${what}`);
  };
}

// Fill recipe.target: clone the snapshot, or build it once under a lock (init here, then save a copy).
export async function createDataDir(recipe: DataDirRecipe): Promise<DataDirOrigin> {
  const started = Date.now();
  if (!recipe.useSnapshot) {
    await recipe.init(recipe.target);
    return { how: 'initialised', ms: Date.now() - started };
  }
  const dir = resolveSnapshotsDir();
  if (recipe.migration !== undefined) {
    const config = { ...recipe.config, migration: recipe.migration };
    const key = makeSnapshotKey(recipe.driver, recipe.version, config);
    if (existsSync(join(dir, key, META_NAME))) return cloneSnapshot(recipe, join(dir, key), key, started);
    const base = makeSnapshotKey(recipe.driver, recipe.version, recipe.config);
    const { driver, version } = recipe;
    throw new MissingMigratedSnapshot(key, base, { driver, version, config }, basename(recipe.target));
  }
  const key = makeSnapshotKey(recipe.driver, recipe.version, recipe.config);
  if (existsSync(join(dir, key, META_NAME))) return cloneSnapshot(recipe, join(dir, key), key, started);
  // Building is rare (once per engine version and config): only then load the builder and fs-extra.
  const { saveSnapshot } = await import('./save.js');
  const what = `the ${recipe.driver} ${recipe.version} snapshot`;
  return withLock(
    join(dir, `.${key}.lock`),
    async () => {
      if (existsSync(join(dir, key, META_NAME))) return cloneSnapshot(recipe, join(dir, key), key, started);
      const progress = startProgress(`building ${what} (once)`);
      const buildStart = Date.now();
      try {
        await recipe.init(recipe.target);
        const { driver, version, config } = recipe;
        const createdAt = new Date().toISOString();
        await saveSnapshot(recipe.target, dir, {
          key,
          driver,
          version,
          config,
          createdAt,
          buildMs: Date.now() - buildStart,
        });
      } catch (error) {
        progress.done(`building the ${recipe.driver} snapshot failed`);
        throw error;
      }
      progress.done(`built the ${recipe.driver} snapshot ${key}`);
      return fromSnapshot('built', recipe, join(dir, key), key, started);
    },
    { waiting: showWaiting(what) },
  );
}
