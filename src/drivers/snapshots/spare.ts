// One pre-cloned spare per snapshot beside the data dirs (in our own private root): a launch takes it by one atomic
// rename instead of copying ~1000 files, and a detached, niced copy refills it once the instance is ready.
import { spawn } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { removeSpareEntry, SPARES } from '../../cleanup/ram-root.js';
import { createFileExclusive } from '../../state/files/write-file.js';
import { META_NAME, resolveSnapshotsDir, type SnapshotMeta } from './location.js';

/** A refill (or its lock) older than this was cut short: gc may remove what it left. */
const REFILL_STALE_MS = 10 * 60_000;
/** A spare not taken for this long is removed by gc (it holds memory when the root is on RAM). */
const SPARE_IDLE_MS = 24 * 3600_000;

// The spare's name: the snapshot key and the snapshot dir's inode, so a rebuilt snapshot never hands out an old copy.
function nameSpare(snapshotDir: string, key: string): string | null {
  try {
    return `${key}~${statSync(snapshotDir).ino}`;
  } catch {
    return null;
  }
}

// Move the spare for this snapshot to `target` (which must not exist); false when there is none (or it is elsewhere).
export function takeSpare(root: string, snapshotDir: string, key: string, target: string): boolean {
  const name = nameSpare(snapshotDir, key);
  if (name === null || process.platform !== 'linux') return false;
  const spare = join(root, SPARES, name);
  try {
    if (!lstatSync(spare).isDirectory()) return false;
    renameSync(spare, target);
  } catch {
    return false; // none, taken by a concurrent launch first, or on another filesystem: clone instead
  }
  return lstatSync(target).isDirectory();
}

// Start a detached, niced copy of the snapshot into a temporary name, renamed into place when complete; one at a time.
export function refillSpare(root: string, snapshotDir: string, key: string): void {
  const name = nameSpare(snapshotDir, key);
  if (name === null || process.platform !== 'linux') return;
  // One spare per lineage: those no launch can use go, and so do older migration versions of this one's project.
  const lineage = readLineage(snapshotDir);
  sweepSpares(root, (other) => mayStay(other, key, lineage, dirname(snapshotDir)));
  const spares = join(root, SPARES);
  try {
    mkdirSync(spares, { mode: 0o700, recursive: true });
    if (lstatSync(join(spares, name), { throwIfNoEntry: false })) return;
    createFileExclusive(join(spares, `.${name}.filling`), '');
  } catch {
    return; // a refill is under way (or the root is not writable): nothing to do
  }
  const tmp = join(spares, `.${name}.tmp-${process.pid}-${Date.now()}`);
  // cp -a keeps owners and modes; mv -T never merges into an existing spare; whatever happens the lock goes.
  const script = 'cp -a --reflink=auto -- "$1" "$2" && mv -T -- "$2" "$3"; rm -rf -- "$2"; rm -f -- "$4"';
  const args = ['-n', '10', 'sh', '-c', script, 'refill', join(snapshotDir, 'data'), tmp, join(spares, name)];
  const child = spawn('nice', [...args, join(spares, `.${name}.filling`)], {
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', () => {});
  child.unref();
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
  if (!isSpareCurrent(other)) return false;
  const otherKey = other.slice(0, other.lastIndexOf('~'));
  return lineage === null || otherKey === key || readLineage(join(snapshotsDir, otherKey)) !== lineage;
}

// True when a spare's name matches a snapshot in the cache now (same key, same build); a cache that cannot be
// checked keeps the spare (its sweep waits for a cache that can).
function isSpareCurrent(name: string): boolean {
  const at = name.lastIndexOf('~');
  if (at <= 0) return false;
  let snapshotsDir: string;
  try {
    snapshotsDir = resolveSnapshotsDir();
  } catch {
    return true;
  }
  return nameSpare(join(snapshotsDir, name.slice(0, at)), name.slice(0, at)) === name;
}

// Remove spares that can no longer be used (snapshot gone or rebuilt), idle too long, or refills cut short.
export function sweepSpares(root: string, isCurrent = isSpareCurrent, now = Date.now()): string[] {
  const spares = join(root, SPARES);
  let names: string[];
  try {
    names = readdirSync(spares);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const path = join(spares, name);
    // ctime: set when the spare was renamed into place (cp -a carries the snapshot's old mtime over).
    const age = now - (lstatSync(path, { throwIfNoEntry: false })?.ctimeMs ?? now);
    const leftover = name.startsWith('.') && age > REFILL_STALE_MS;
    const stale = !name.startsWith('.') && (!isCurrent(name) || age > SPARE_IDLE_MS);
    if (!leftover && !stale) continue;
    if (removeSpareEntry(spares, name)) removed.push(name);
  }
  return removed;
}
