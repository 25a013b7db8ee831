// Taking over the dir of a finished record for a new launch with the same id, one launcher at a time.
import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { QuickdbError } from '../errors.js';
import { createFileExclusive } from '../state/files/write-file.js';
import { isProcessAlive, readStartTime } from '../state/process/procstat.js';
import type { InstancePaths } from '../state/records/paths.js';
import { readProcessRecord } from '../state/records/process-record.js';
import { isFinishedPhase, readStatusFile, readWatcherRef, type Status } from '../state/records/status.js';
import { CLAIM_NAME } from './claim.js';

/** Held (exclusive create) by the one launcher taking over a finished record; names it like the claim. */
const TAKEOVER_LOCK = '.takeover.lock';

// "id in use": a runtime refusal (exit 1), not bad input.
function idInUse(id: string, why: string): QuickdbError {
  return new QuickdbError(`id in use: ${id}: ${why}; stop it, wait for it, or choose another id`);
}

// True for a record whose watcher finished (done or failed) and is gone: it can never come back to life.
export function isFinishedRecord(status: Status | null): boolean {
  if (!status || !isFinishedPhase(status.phase)) return false;
  const watcher = readWatcherRef(status);
  return !watcher || !isProcessAlive(watcher);
}

// True when two reads of status.json are the same finished record (same watcher, same start).
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
export function takeOverFinishedRecord(paths: InstancePaths, id: string, staged: string): void {
  if (!lstatSync(paths.dir).isDirectory()) throw idInUse(id, `${paths.dir} is not a directory`);
  // One taker at a time: a caller that read the old record before another took it over must not act on what
  // that one has written since (it would rename the new launch's spec away under its starting watcher).
  const lock = holdTakeoverLock(paths, id, readFileSync(join(staged, CLAIM_NAME)));
  try {
    replaceFinishedRecord(paths, id, staged);
  } finally {
    lock.release();
  }
}

/** Take the takeover lock of a finished record (a launch taking it over, or `rm` deleting it), naming this process
 *  (or the claim given); "id in use" while another holds it. */
export function holdTakeoverLock(
  paths: InstancePaths,
  id: string,
  holder:
    | string
    | Buffer = `${JSON.stringify({ pid: process.pid, startTime: readStartTime(process.pid) })}\n`,
): { release(): void } {
  const lock = join(paths.dir, TAKEOVER_LOCK);
  try {
    createFileExclusive(lock, holder);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause;
    throw idInUse(
      id,
      `another launch is taking over its finished record, or \`rm\` removing it (${lock}; \`quickdb-watcher gc\` clears a stale one)`,
    );
  }
  return { release: () => rmSync(lock, { force: true }) };
}

/** Remove the takeover lock in an instance dir when its holder is gone (what full `gc` does; never the quick gc,
 *  so two concurrent breakers cannot race); true when one was removed. */
export function clearStaleTakeoverLock(dir: string): boolean {
  const lock = join(dir, TAKEOVER_LOCK);
  try {
    if (!lstatSync(lock).isFile()) return false;
    const holder = readProcessRecord(lock);
    if (holder && isProcessAlive(holder)) return false;
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
