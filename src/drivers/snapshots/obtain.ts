// A fresh engine data dir: cloned from the cached snapshot, or initialised (and then kept as the snapshot).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cloneTree } from './clone.js';
import { META_NAME, makeSnapshotKey, resolveSnapshotsDir } from './location.js';
import { withLock } from './lock.js';
import { startProgress } from './progress.js';

export interface DataDirRecipe {
  driver: string;
  version: string;
  /** Everything besides driver and version that shapes the initialised dir (binaries, init flags, owner). */
  config: Record<string, unknown>;
  /** The path to fill; it must not exist yet. */
  target: string;
  useSnapshot: boolean;
  /** Initialise an engine data dir at the given (not yet existing) path. */
  init(target: string): Promise<void>;
}

export interface DataDirOrigin {
  how: 'cloned' | 'built' | 'initialised';
  key?: string;
  ms: number;
}

// Fill recipe.target: clone the snapshot, or build it once under a lock (init here, then save a copy).
export async function createDataDir(recipe: DataDirRecipe): Promise<DataDirOrigin> {
  const started = Date.now();
  if (!recipe.useSnapshot) {
    await recipe.init(recipe.target);
    return { how: 'initialised', ms: Date.now() - started };
  }
  const dir = resolveSnapshotsDir();
  const key = makeSnapshotKey(recipe.driver, recipe.version, recipe.config);
  const ready = join(dir, key, 'data');
  if (existsSync(join(dir, key, META_NAME))) {
    await cloneTree(ready, recipe.target);
    return { how: 'cloned', key, ms: Date.now() - started };
  }
  // Building is rare (once per engine version and config): only then load the builder and fs-extra.
  const { ensureSnapshotsDir, saveSnapshot } = await import('./save.js');
  ensureSnapshotsDir(dir);
  return withLock(join(dir, `.${key}.lock`), async () => {
    if (existsSync(join(dir, key, META_NAME))) {
      await cloneTree(ready, recipe.target);
      return { how: 'cloned' as const, key, ms: Date.now() - started };
    }
    const progress = startProgress(`building the ${recipe.driver} ${recipe.version} snapshot (once)`);
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
    return { how: 'built' as const, key, ms: Date.now() - started };
  });
}
