// The snapshot cache as `snapshots` and the library's listSnapshots/clearSnapshots see it: listing and clearing. Node
// built-ins only: the library's entry loads it, and its CommonJS build cannot require fs-extra/esm.
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { closeDir, type DirHandle, dirPath, entryPath, openDir } from '../../state/files/dir-handle.js';
import { removeOwnEntry } from '../../state/files/remove-own.js';
import { META_NAME, resolveSnapshotsDir, type SnapshotMeta } from './location.js';
import { isLockStale } from './lock.js';

export { resolveSnapshotsDir } from './location.js';

export interface SnapshotEntry extends SnapshotMeta {
  dir: string;
  bytes: number;
}

// The bytes a file or tree holds (its files' sizes added up).
export function measureBytes(path: string): number {
  const st = lstatSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((sum, e) => sum + measureBytes(join(path, e)), 0);
}

// The complete snapshots in the cache (builds in progress and stale leftovers are not listed).
export function listSnapshots(dir = resolveSnapshotsDir()): SnapshotEntry[] {
  if (!existsSync(dir)) return [];
  const entries: SnapshotEntry[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    try {
      const meta = JSON.parse(readFileSync(join(dir, name, META_NAME), 'utf8')) as SnapshotMeta;
      entries.push({ ...meta, dir: join(dir, name), bytes: measureBytes(join(dir, name)) });
    } catch {}
  }
  return entries;
}

// The keys of the complete snapshots, as `snapshots list` shows them (an entry whose recorded key is not its dir's
// name is not one of ours to name).
export function listSnapshotKeys(dir = resolveSnapshotsDir()): string[] {
  return listSnapshots(dir)
    .filter((t) => basename(t.dir) === t.key)
    .map((t) => t.key);
}

/** The names in the snapshots dir that are ours: a snapshot (its key), a build (cut short or under way), a lock. */
const KEY = '[a-z][a-z0-9]*-[A-Za-z0-9._]+-[0-9a-f]{12}';
const OUR_ENTRY = new RegExp(`^(?:(${KEY})|\\.build-(${KEY})-\\d+|\\.(${KEY})\\.lock)$`);

/** What `snapshots clear` did: entries removed, kept (being built), and left (not ours by name or type). */
export interface ClearResult {
  removed: string[];
  kept: string[];
  left: string[];
}

// Remove every snapshot and stale leftover (or only those of `only`, one key), anchored to the snapshots dir opened
// without following a link; a snapshot being built right now (live lock) is kept, and whatever is not ours by name
// and type (a dir) is left.
export function clearSnapshots(dir = resolveSnapshotsDir(), only?: string): ClearResult {
  const result: ClearResult = { removed: [], kept: [], left: [] };
  let handle: DirHandle;
  try {
    handle = openDir(dir);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return result;
    throw cause;
  }
  try {
    const names = readdirSync(dirPath(handle));
    const busy = new Set(
      names.flatMap((n) => {
        const key = OUR_ENTRY.exec(n)?.[3];
        return key && !isLockStale(entryPath(handle, n)) ? [key] : [];
      }),
    );
    for (const name of names) {
      const match = OUR_ENTRY.exec(name);
      const key = match?.[1] ?? match?.[2] ?? match?.[3];
      if (only !== undefined && key !== only) continue;
      if (key === undefined) result.left.push(name);
      else if (busy.has(key)) result.kept.push(name);
      else if (removeOwnEntry(handle, name, 'dir')) result.removed.push(name);
      else result.left.push(name);
    }
  } finally {
    closeDir(handle);
  }
  return result;
}
