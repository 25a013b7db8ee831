// gc's part for data kept outside instance dirs: RAM data dirs of abandoned launches or gone records, and snapshot spares.
import { lstatSync, readdirSync, realpathSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { readStateRootNote, removeAllSpares, removeEmptyRamRoot, SPARES } from '../cleanup/ram-root.js';
import { measureBytes } from '../drivers/snapshots/cache.js';
import { sweepSpares } from '../drivers/snapshots/spare-sweep.js';
import { RAM_ROOT_PREFIX, resolveRamFs, resolveRamRoot } from '../launch/placement.js';
import { deleteOwnedDir } from '../state/files/marker.js';
import { readUserTag } from '../state/files/real-path.js';
import { getInstancePaths } from '../state/records/paths.js';
import { ID_PATTERN } from '../state/records/spec.js';

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
    if (
      !ID_PATTERN.test(id) ||
      lstatSync(getInstancePaths(stateRoot, id).dir, { throwIfNoEntry: false }) !== undefined
    )
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

/** The roots that may hold this state root's spares: the state root itself (data on disk) and its RAM root. */
function listSpareRoots(stateRoot: string): string[] {
  return [stateRoot, resolveRamRoot(stateRoot)].filter((r): r is string => r !== null);
}

// Remove snapshot spares no launch can use any more (snapshot cleared or rebuilt, idle for a day, refills cut short).
export function sweepStaleSpares(stateRoot: string): string[] {
  const roots = listSpareRoots(stateRoot);
  return roots.flatMap((root) => sweepSpares(root).map((name) => join(root, SPARES, name)));
}

// Full gc: every snapshot spare of this state root goes (a launch clones instead, and refills one once ready), and
// an emptied RAM root with them; each named with its size (or, dry, what would go).
export function removeSpares(stateRoot: string, dryRun: boolean): string[] {
  const said: string[] = [];
  for (const root of listSpareRoots(stateRoot)) {
    const spares = join(root, SPARES);
    let names: string[];
    try {
      names = readdirSync(spares).filter((n) => !n.startsWith('.'));
    } catch {
      names = [];
    }
    const mb = (name: string): string => `${(measureBytes(join(spares, name)) / 1048576).toFixed(1)} MB`;
    const sizes = names.map((name) => `${join(spares, name)} (${mb(name)})`);
    if (dryRun) said.push(...sizes.map((s) => `would remove the snapshot spare ${s}`));
    else {
      const removed = new Set(removeAllSpares(root));
      said.push(
        ...sizes
          .filter((_, i) => removed.has(names[i] as string))
          .map((s) => `removed the snapshot spare ${s}`),
      );
    }
    if (root !== stateRoot && !dryRun && removeEmptyRamRoot(root))
      said.push(`removed the empty RAM root ${root}`);
  }
  return said;
}

// Remove the spares of RAM roots (this user's) whose state root is gone: no gc of that root will ever run again, and
// a spare is memory. Data dirs there are left (a watcher whose state dir was deleted still deletes its own); an
// emptied root goes. Returns the roots tidied.
export function sweepOrphanedRamRoots(): string[] {
  const fs = resolveRamFs(process.env);
  const uid = process.getuid?.();
  let names: string[];
  try {
    const mine = `${RAM_ROOT_PREFIX}${readUserTag()}-`;
    names = fs === null ? [] : readdirSync(fs).filter((n) => n.startsWith(mine));
  } catch {
    return [];
  }
  const tidied: string[] = [];
  for (const name of names) {
    const root = join(fs as string, name);
    const st = lstatSync(root, { throwIfNoEntry: false });
    if (!st?.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
    const served = readStateRootNote(root);
    if (served === null || lstatSync(served, { throwIfNoEntry: false }) !== undefined) continue;
    sweepSpares(root, () => false);
    // Another launcher's gc may tidy the same root at once: whatever it removed first is simply gone.
    removeEmptyRamRoot(root);
    tidied.push(root);
  }
  return tidied;
}
