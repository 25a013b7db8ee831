// gc's part for data kept outside instance dirs: RAM data dirs of abandoned launches or gone records, and snapshot spares.
import { lstatSync, readdirSync, realpathSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { sweepSpares } from '../drivers/snapshots/spare.js';
import { deleteOwnedDir } from '../state/marker.js';
import { ID_PATTERN } from '../state/spec.js';
import { resolveRamRoot } from './placement.js';

// Delete the RAM data dir an abandoned launch (no spec) may have made for id, checked like every deletion.
export function deleteAbandonedRamDir(stateRoot: string, id: string): void {
  const root = resolveRamRoot(stateRoot);
  if (root === null) return;
  const dir = join(root, id);
  try {
    deleteOwnedDir({ id, dir, realPath: realpathSync(dir), stateRoot, cutShort: true });
  } catch {}
}

// Remove RAM data dirs of this state root whose instance dir is gone; the ids removed (or, dry, to be removed).
export function sweepRamStrays(stateRoot: string, dryRun: boolean): { id: string; detail: string }[] {
  const root = resolveRamRoot(stateRoot);
  let names: string[];
  try {
    names = root === null ? [] : readdirSync(root);
  } catch {
    return [];
  }
  const swept: { id: string; detail: string }[] = [];
  for (const id of names) {
    const dir = join(root as string, id);
    // The instance dir is claimed before its data dir is made and removed after it is deleted: absent means stray.
    if (!ID_PATTERN.test(id) || lstatSync(join(stateRoot, id), { throwIfNoEntry: false }) !== undefined)
      continue;
    if (dryRun) {
      swept.push({ id, detail: `would delete the stray RAM data dir ${dir}` });
      continue;
    }
    const verdict = deleteOwnedDir({ id, dir, realPath: realpathSync(dir), stateRoot, cutShort: false });
    if (!verdict.ok) {
      // A watcher killed after removing the marker, before the dir: an empty dir in our private root.
      try {
        rmdirSync(dir);
      } catch {
        swept.push({ id, detail: `stray RAM data dir ${dir} left: ${verdict.reason}` });
        continue;
      }
    }
    swept.push({ id, detail: `deleted the stray RAM data dir ${dir}` });
  }
  return swept;
}

// Remove snapshot spares no launch can use any more (snapshot cleared or rebuilt, idle for a day, refills cut short).
export function sweepStaleSpares(stateRoot: string): string[] {
  const roots = [stateRoot, resolveRamRoot(stateRoot)].filter((r): r is string => r !== null);
  return roots.flatMap((root) => sweepSpares(root).map((name) => join(root, '.spares', name)));
}
