// Keeping a freshly initialised data dir as a snapshot: built aside, then renamed into place in one step.
// Loaded only when a snapshot is built, so fs-extra stays off the clone path (the one every `up` takes).
import { readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDirSync, outputJsonSync, removeSync } from 'fs-extra/esm';
import { cloneTree } from './clone.js';
import { META_NAME, type SnapshotMeta } from './location.js';

// Create the snapshots dir (and the cache root) private to the user.
export function ensureSnapshotsDir(dir: string): void {
  ensureDirSync(dir, { mode: 0o700 });
}

// Copy `target` into `<dir>/<key>` with its meta file; a half-built snapshot is never visible under its key.
export async function saveSnapshot(target: string, dir: string, meta: SnapshotMeta): Promise<void> {
  // Called under the key's lock: any other build dir of this key is what a killed builder left.
  for (const name of readdirSync(dir))
    if (name.startsWith(`.build-${meta.key}-`)) removeSync(join(dir, name));
  const building = join(dir, `.build-${meta.key}-${process.pid}`);
  ensureDirSync(building, { mode: 0o700 });
  try {
    await cloneTree(target, join(building, 'data'));
    outputJsonSync(join(building, META_NAME), meta, { spaces: 2, mode: 0o600 });
    // A rename, not fs-extra's move: it must be atomic (same filesystem) or fail, never copy.
    renameSync(building, join(dir, meta.key));
  } finally {
    removeSync(building);
  }
}
