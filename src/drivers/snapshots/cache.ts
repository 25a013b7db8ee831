// The snapshot cache as the `snapshots` command sees it: listing and clearing (fs-extra; CLI side only).
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonSync, removeSync } from 'fs-extra/esm';
import { META_NAME, resolveSnapshotsDir, type SnapshotMeta } from './location.js';
import { isLockStale } from './lock.js';

export { resolveSnapshotsDir } from './location.js';

export interface SnapshotEntry extends SnapshotMeta {
  dir: string;
  bytes: number;
}

function measureBytes(path: string): number {
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
      const meta = readJsonSync(join(dir, name, META_NAME)) as SnapshotMeta;
      entries.push({ ...meta, dir: join(dir, name), bytes: measureBytes(join(dir, name)) });
    } catch {}
  }
  return entries;
}

// Remove every snapshot and stale leftover; a snapshot being built right now (live lock) is kept.
export function clearSnapshots(dir = resolveSnapshotsDir()): { removed: string[]; kept: string[] } {
  const removed: string[] = [];
  const kept: string[] = [];
  if (!existsSync(dir)) return { removed, kept };
  const names = readdirSync(dir);
  const busy = new Set(
    names
      .filter((n) => n.startsWith('.') && n.endsWith('.lock') && !isLockStale(join(dir, n)))
      .map((n) => n.slice(1, -'.lock'.length)),
  );
  for (const name of names) {
    const key = name.startsWith('.build-') ? name.slice('.build-'.length).replace(/-\d+$/, '') : name;
    const lockKey = name.startsWith('.') && name.endsWith('.lock') ? name.slice(1, -'.lock'.length) : key;
    if (busy.has(key) || busy.has(lockKey)) {
      kept.push(name);
      continue;
    }
    removeSync(join(dir, name));
    removed.push(name);
  }
  return { removed, kept };
}
