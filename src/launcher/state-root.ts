// The state root and instance dirs: created owner-only, claimed exclusively per id.
import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { getInstancePaths, type InstancePaths } from '../state/paths.js';
import { isProcessAlive } from '../state/procstat.js';
import { readStatusFile } from '../state/status.js';

// Create the state root (0700) and check that it is ours.
export function ensureStateRoot(root: string): void {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const st = lstatSync(root);
  const uid = process.getuid?.();
  if (!st.isDirectory()) throw new UsageError('QUICKDB_WATCHER_STATE', root, 'expected a directory');
  if (uid !== undefined && st.uid !== uid) {
    throw new UsageError(
      'QUICKDB_WATCHER_STATE',
      root,
      `is owned by uid ${st.uid}, not you (uid ${uid}); choose your own dir`,
    );
  }
  // Search-only for others (o+x) is kept: as root, database drivers let their server's own user reach its dir.
  if ((st.mode & 0o076) !== 0) chmodSync(root, 0o700 | (st.mode & 0o001));
}

// A fresh instance id such as "command-1a2b3c4d".
export function generateId(driver: string): string {
  return `${driver.replace(/[^A-Za-z0-9]/g, '').slice(0, 12) || 'db'}-${randomBytes(4).toString('hex')}`;
}

// Claim <root>/<id>: a running instance with that id is refused; a finished one's files are replaced (its data dir stays).
export function claimInstanceDir(root: string, id: string): InstancePaths {
  const paths = getInstancePaths(root, id);
  try {
    mkdirSync(paths.dir, { mode: 0o700 });
    return paths;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause;
  }
  const status = readStatusFile(paths.status);
  if (status && isProcessAlive({ pid: status.runnerPid, startTime: status.runnerStartTime })) {
    throw new UsageError('--id', id, 'an instance with this id is running; stop it or choose another id');
  }
  removeInstanceFiles(paths);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  return paths;
}

// Remove an instance's state (files, sockets), keeping a data dir that lives inside it; the dir goes when empty.
export function removeInstanceFiles(paths: InstancePaths): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(paths.dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(paths.dir, entry);
    if (path !== paths.defaultDataDir) rmSync(path, { recursive: true, force: true });
  }
  try {
    rmdirSync(paths.dir);
  } catch {}
}
