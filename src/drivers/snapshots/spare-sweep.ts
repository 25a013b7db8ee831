// Sweeping snapshot spares: those no launch can use (snapshot gone or rebuilt, an older migration version of the
// same project), idle too long, refills cut short, or anything not a dir under a spare's name.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { removeSpareEntry, SPARES } from '../../cleanup/ram-root.js';
import { type DirHandle, openDir } from '../../state/files/dir-handle.js';
import { META_NAME, type SnapshotMeta } from './location.js';
import { isSpareCurrent, parseSpareName } from './spare-names.js';

/** A refill (or its lock) older than this was cut short: gc may remove what it left. */
const REFILL_STALE_MS = 10 * 60_000;
/** A spare not taken for this long is removed by gc (it holds memory when the root is on RAM). */
const SPARE_IDLE_MS = 24 * 3600_000;

// Open a root's spares dir as a handle (never through a link in its place); null when there is none.
export function openSpares(root: string): DirHandle | null {
  try {
    return openDir(join(root, SPARES));
  } catch {
    return null;
  }
}

// Before a refill of `key`: spares no launch can use go, and so do older migration versions of this one's project.
export function sweepBesideRefill(root: string, snapshotDir: string, key: string): void {
  const lineage = readLineage(snapshotDir);
  sweepSpares(root, (other) => mayStay(other, key, lineage, dirname(snapshotDir)));
}

// A migrated snapshot's lineage (the plain snapshot it was made from and the project), or null for a plain one.
function readLineage(snapshotDir: string): string | null {
  try {
    const meta = JSON.parse(readFileSync(join(snapshotDir, META_NAME), 'utf8')) as SnapshotMeta;
    return meta.base && meta.migration ? `${meta.base} ${meta.migration.project}` : null;
  } catch {
    return null;
  }
}

// Whether spare `other` may stay beside a refill of `key`: its snapshot is current, and it is this key's or of another
// lineage (not an older migration version of the same project).
function mayStay(other: string, key: string, lineage: string | null, snapshotsDir: string): boolean {
  const otherKey = parseSpareName(other)?.key;
  if (otherKey === undefined || !isSpareCurrent(other)) return false;
  return lineage === null || otherKey === key || readLineage(join(snapshotsDir, otherKey)) !== lineage;
}

// Remove spares that can no longer be used (snapshot gone or rebuilt), idle too long, or refills cut short.
export function sweepSpares(root: string, isCurrent = isSpareCurrent, now = Date.now()): string[] {
  const spares = join(root, SPARES);
  let names: string[];
  try {
    // Only a real dir of ours: a link in its place is never walked through (removeSpareEntry deletes anchored to
    // it). One that cannot be looked at (no access, as another user) has nothing to sweep.
    if (!lstatSync(spares, { throwIfNoEntry: false })?.isDirectory()) return [];
    names = readdirSync(spares);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const path = join(spares, name);
    // ctime: set when the spare was renamed into place (cp -a carries the snapshot's old mtime over).
    const st = lstatSync(path, { throwIfNoEntry: false });
    const age = now - (st?.ctimeMs ?? now);
    const leftover = name.startsWith('.') && age > REFILL_STALE_MS;
    // Not a dir under a spare's name (a link or file put there): never a spare, removed itself (never followed).
    const planted = st !== undefined && !st.isDirectory();
    const stale = !name.startsWith('.') && (planted || !isCurrent(name) || age > SPARE_IDLE_MS);
    if (!leftover && !stale) continue;
    if (removeSpareEntry(spares, name)) removed.push(name);
  }
  return removed;
}
