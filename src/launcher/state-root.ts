// The state root and instance dirs: created owner-only, claimed exclusively per id.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeWriteFailure, QuickdbError, UsageError } from '../errors.js';
import { deleteStateDir } from '../state/marker.js';
import { getInstancePaths, type InstancePaths } from '../state/paths.js';
import { isProcessAlive, readStartTime } from '../state/procstat.js';
import { findUnsafeDir } from '../state/safe-dirs.js';
import { isFinishedPhase, readStatusFile, readWatcherRef, type Status } from '../state/status.js';
import { CLAIM_NAME, STAGING_PREFIX } from './claim.js';

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
  const unsafe = findUnsafeDir(root);
  if (unsafe)
    throw new UsageError('QUICKDB_WATCHER_STATE', root, `${unsafe}; choose a dir only you can write`);
  // Search-only for others (o+x) is kept: as root, database drivers let their server's own user reach its dir.
  if ((st.mode & 0o076) !== 0) chmodSync(root, 0o700 | (st.mode & 0o001));
}

// A fresh instance id such as "command-1a2b3c4d".
export function generateId(driver: string): string {
  return `${driver.replace(/[^A-Za-z0-9]/g, '').slice(0, 12) || 'db'}-${randomBytes(4).toString('hex')}`;
}

/** Held (exclusive create) by the one launcher taking over a finished record; names it like the claim. */
const TAKEOVER_LOCK = '.takeover.lock';

// "id in use": a runtime refusal (exit 1), not bad input.
function idInUse(id: string, why: string): QuickdbError {
  return new QuickdbError(`id in use: ${id}: ${why}; stop it, wait for it, or choose another id`);
}

// A private dir holding the claim, to be renamed into place: a claimed dir is never empty, so nothing takes it for
// an empty leftover. Another launcher's gc may remove the staged dir while it is still empty: stage again.
function stageClaim(root: string, id: string): string {
  const claim = `${JSON.stringify({ pid: process.pid, startTime: readStartTime(process.pid) })}\n`;
  for (let attempt = 1; ; attempt++) {
    const dir = join(root, `${STAGING_PREFIX}${id}-${randomBytes(6).toString('hex')}`);
    mkdirSync(dir, { mode: 0o700 });
    try {
      writeFileSync(join(dir, CLAIM_NAME), claim, { mode: 0o600, flag: 'wx' });
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

// True for a record whose runner finished (done or failed) and is gone: it can never come back to life.
function isFinishedRecord(status: Status | null): boolean {
  if (!status || !isFinishedPhase(status.phase)) return false;
  const watcher = readWatcherRef(status);
  return !watcher || !isProcessAlive(watcher);
}

// True when two reads of status.json are the same finished record (same runner, same start).
function isSameRecord(a: Status, b: Status | null): boolean {
  return (
    b !== null &&
    isFinishedRecord(b) &&
    a.watcherPid === b.watcherPid &&
    a.times.starting === b.times.starting
  );
}

// Take over a finished record at paths.dir in place, or throw "id in use". Its spec.json is renamed away first (only
// one caller can; the others then fail to); our claim goes in before its status.json goes out, so at no moment does
// the dir look empty, abandoned or half-removed to a concurrent gc; a kept default data dir stays where it is.
function takeOverFinishedRecord(paths: InstancePaths, id: string, staged: string): void {
  if (!lstatSync(paths.dir).isDirectory()) throw idInUse(id, `${paths.dir} is not a directory`);
  // One taker at a time: a caller that read the old record before another took it over must not act on what
  // that one has written since (it would rename the new launch's spec away under its starting watcher).
  const lock = join(paths.dir, TAKEOVER_LOCK);
  try {
    writeFileSync(lock, readFileSync(join(staged, CLAIM_NAME)), { mode: 0o600, flag: 'wx' });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause;
    throw idInUse(
      id,
      `another launch is taking over its finished record (${lock}; \`quickdb-watcher gc\` clears a stale one)`,
    );
  }
  try {
    replaceFinishedRecord(paths, id, staged);
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Remove the takeover lock in an instance dir when its holder is gone (what full `gc` does; never the quick gc,
 *  so two concurrent breakers cannot race); true when one was removed. */
export function clearStaleTakeoverLock(dir: string): boolean {
  const lock = join(dir, TAKEOVER_LOCK);
  try {
    if (!lstatSync(lock).isFile()) return false;
    const holder = JSON.parse(readFileSync(lock, 'utf8')) as { pid?: unknown; startTime?: unknown };
    const pid = typeof holder.pid === 'number' && Number.isInteger(holder.pid) ? holder.pid : 0;
    const startTime = typeof holder.startTime === 'string' ? holder.startTime : null;
    if (pid > 1 && isProcessAlive({ pid, startTime })) return false;
    rmSync(lock);
    return true;
  } catch {
    return false;
  }
}

// Under the takeover lock: check the record is finished, then swap our claim in for its files.
function replaceFinishedRecord(paths: InstancePaths, id: string, staged: string): void {
  const status = readStatusFile(paths.status);
  if (!status || !isFinishedRecord(status)) {
    throw idInUse(
      id,
      status ? `an instance with this id is ${status.phase}` : 'a launch with this id is in progress',
    );
  }
  const tag = randomBytes(6).toString('hex');
  const takenSpec = join(paths.dir, `.replaced-spec-${tag}`);
  try {
    renameSync(paths.spec, takenSpec);
  } catch {
    throw idInUse(id, 'another launch is replacing its finished record');
  }
  if (!isSameRecord(status, readStatusFile(paths.status))) {
    // Someone replaced the record between our look and our rename: give its spec back untouched.
    renameSync(takenSpec, paths.spec);
    throw idInUse(id, 'another launch replaced its finished record');
  }
  renameSync(join(staged, CLAIM_NAME), join(paths.dir, CLAIM_NAME));
  renameSync(paths.status, join(paths.dir, `.replaced-status-${tag}`));
  // The old record's own files (logs, socket; the set-aside spec and status last); a directory (the data dir, or
  // anything else) is left as found.
  const entries = readdirSync(paths.dir, { withFileTypes: true })
    .filter((e) => e.name !== CLAIM_NAME && e.name !== TAKEOVER_LOCK && !e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => Number(a.startsWith('.replaced-')) - Number(b.startsWith('.replaced-')));
  for (const name of entries) rmSync(join(paths.dir, name), { force: true });
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
