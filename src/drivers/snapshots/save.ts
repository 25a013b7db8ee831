// Keeping a freshly initialised data dir as a snapshot: built aside, then renamed into place in one step.
// Loaded only when a snapshot is built: the clone path (the one every `up` takes) stays small.
import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { removeOwnPath } from '../../state/files/remove-own.js';
import { writeFileAtomic } from '../../state/files/write-file.js';
import { guardInterrupt } from '../../state/process/interrupt.js';
import { cloneTree } from './clone.js';
import { META_NAME, type SnapshotMeta } from './location.js';

// Copy `target` into `<dir>/<key>` with its meta file; a half-built snapshot is never visible under its key.
export async function saveSnapshot(target: string, dir: string, meta: SnapshotMeta): Promise<void> {
  // Called under the key's lock: any other build dir of this key is what a killed builder left.
  for (const name of readdirSync(dir))
    if (name.startsWith(`.build-${meta.key}-`)) removeOwnPath(join(dir, name), 'dir');
  const building = join(dir, `.build-${meta.key}-${process.pid}`);
  mkdirSync(building, { mode: 0o700 });
  const interrupt = guardInterrupt(() => removeOwnPath(building, 'dir'));
  try {
    await cloneTree(target, join(building, 'data'));
    writeFileAtomic(join(building, META_NAME), `${JSON.stringify(meta, null, 2)}\n`);
    // A rename, not fs-extra's move: it must be atomic (same filesystem) or fail, never copy.
    renameSync(building, join(dir, meta.key));
  } finally {
    interrupt.release();
    removeOwnPath(building, 'dir'); // gone already when it was renamed into place
  }
}
