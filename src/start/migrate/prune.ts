// Pruning migrated snapshots: the newest few per plain snapshot and project stay, older ones (migrations since
// edited) go, unless one is being built or cloned from under a live lock.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { META_NAME, type SnapshotMeta } from '../../drivers/snapshots/location.js';
import { isLockStale } from '../../drivers/snapshots/lock.js';
import { removeOwnPath } from '../../state/files/remove-own.js';

/** Migrated snapshots kept per plain snapshot and project (the newest by creation time). */
const KEEP_MIGRATED = 3;

// Read a snapshot's meta; null when it is not a readable snapshot.
function readMeta(dir: string, name: string): SnapshotMeta | null {
  try {
    const meta = JSON.parse(readFileSync(join(dir, name, META_NAME), 'utf8')) as SnapshotMeta;
    return meta && typeof meta === 'object' && meta.key === name ? meta : null;
  } catch {
    return null;
  }
}

// Remove the older migrated snapshots of one plain snapshot and project; returns the keys removed.
export function pruneMigratedSnapshots(
  dir: string,
  base: string,
  project: string,
  keep = KEEP_MIGRATED,
): string[] {
  const names = readdirSync(dir);
  const locked = new Set(names.filter((n) => n.endsWith('.lock') && !isLockStale(join(dir, n))));
  const mine = names
    .filter((n) => !n.startsWith('.'))
    .map((n) => readMeta(dir, n))
    .filter((m): m is SnapshotMeta => m?.base === base && m.migration?.project === project)
    .sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
  const removed: string[] = [];
  for (const meta of mine.slice(keep)) {
    if (locked.has(`.${meta.key}.lock`)) continue;
    if (removeOwnPath(join(dir, meta.key), 'dir')) removed.push(meta.key);
  }
  return removed;
}
