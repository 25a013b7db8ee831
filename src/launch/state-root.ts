// The state root and instance dirs: created owner-only, claimed exclusively per id.
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeWriteFailure, UsageError } from '../errors.js';
import { deleteStateDir } from '../state/files/marker.js';
import { ensurePrivateDir } from '../state/files/private-dir.js';
import { chooseStateRoot, describeTakenDir, giveNotice } from '../state/files/trusted-roots.js';
import { createFileExclusive } from '../state/files/write-file.js';
import { readStartTime } from '../state/process/procstat.js';
import { getInstancePaths, type InstancePaths } from '../state/records/paths.js';
import { CLAIM_NAME, STAGING_PREFIX } from './claim.js';
import { takeOverFinishedRecord } from './takeover.js';

// Create the state root (0700) and check that it is ours; the default's fallback is said once, with the fix.
export function ensureStateRoot(root: string): void {
  const choice = chooseStateRoot();
  if (choice.path === root) giveNotice(choice.notice);
  const problem = ensurePrivateDir(root);
  if (problem) throw new UsageError('QUICKDB_WATCHER_STATE', root, problem);
}

// Refuse to act on records in a state root that another user could have written (stop, gc): checked, not made.
export function checkStateRoot(root: string): void {
  const problem = describeTakenDir(root);
  if (problem)
    throw new UsageError('QUICKDB_WATCHER_STATE', root, `${problem}; choose a dir only you can write`);
}

// A fresh instance id such as "command-1a2b3c4d".
export function generateId(driver: string): string {
  return `${driver.replace(/[^A-Za-z0-9]/g, '').slice(0, 12) || 'db'}-${randomBytes(4).toString('hex')}`;
}

// A private dir holding the claim, to be renamed into place: a claimed dir is never empty, so nothing takes it for
// an empty leftover. Another launcher's gc may remove the staged dir while it is still empty: stage again.
function stageClaim(root: string, id: string): string {
  const claim = `${JSON.stringify({ pid: process.pid, startTime: readStartTime(process.pid) })}\n`;
  for (let attempt = 1; ; attempt++) {
    const dir = join(root, `${STAGING_PREFIX}${id}-${randomBytes(6).toString('hex')}`);
    mkdirSync(dir, { mode: 0o700 });
    try {
      createFileExclusive(join(dir, CLAIM_NAME), claim);
      return dir;
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 10) {
        // Our private staging dir: take back the claim file the failed write may have created, then the dir.
        try {
          rmSync(join(dir, CLAIM_NAME), { force: true });
          rmdirSync(dir);
        } catch {}
        throw describeWriteFailure(cause, join(dir, CLAIM_NAME));
      }
    }
  }
}

// Rename the staged dir onto the instance dir; false when something is already there (rename never replaces a
// non-empty dir; an empty one is a leftover nobody can be using, as every claimed dir holds its claim).
function placeClaim(staged: string, target: string): boolean {
  try {
    renameSync(staged, target);
    return true;
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'ENOTDIR') return false;
    throw cause;
  }
}

// Claim <root>/<id> atomically: exactly one caller wins; a running instance or a launch in progress (a dir without
// status.json) is "id in use" (exit 1); a finished one's files are replaced (a kept default data dir stays).
export function claimInstanceDir(root: string, id: string): InstancePaths {
  const paths = getInstancePaths(root, id);
  for (let attempt = 1; ; attempt++) {
    const staged = stageClaim(root, id);
    try {
      if (!placeClaim(staged, paths.dir)) takeOverFinishedRecord(paths, id, staged);
      return paths;
    } catch (cause) {
      // Our staging dir vanished under us (a gc took it for a dead launcher's): stage again.
      if ((cause as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) throw cause;
    } finally {
      rmSync(join(staged, CLAIM_NAME), { force: true });
      try {
        rmdirSync(staged);
      } catch {}
    }
  }
}

// Remove an instance's state (files, sockets), keeping a data dir that lives inside it; the dir goes when empty.
// Through the checked deletion: anchored to the dir directly under the state root, never crossing a mount.
export function removeInstanceFiles(paths: InstancePaths): void {
  deleteStateDir(paths.dir, dirname(paths.dir), [basename(paths.defaultDataDir)]);
}
