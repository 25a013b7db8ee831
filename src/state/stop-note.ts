// A note in the state root while a stop of an id is in progress, so a concurrent `stop` that finds the instance
// already gone reports the stop as done rather than "no such instance". The stopper removes it when done; a note
// whose stopper died (SIGKILLed mid-stop) is removed by the watcher as it finishes, and by the next stop.
import {
  closeSync,
  constants,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive, readStartTime } from './procstat.js';

/** A note older than this is stale whoever wrote it (a stop waits at most about this long). */
const NOTE_TTL_MS = 600_000;
const PREFIX = '.stopped-';

function notePath(stateRoot: string, id: string): string {
  return join(stateRoot, `${PREFIX}${id}`);
}

// True when the note at path is a regular file whose stopper still runs and which is younger than the TTL.
function isLiveNote(path: string): boolean {
  try {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (!st?.isFile() || Date.now() - st.mtimeMs > NOTE_TTL_MS) return false;
    const { pid, startTime } = JSON.parse(readFileSync(path, 'utf8')) as {
      pid?: unknown;
      startTime?: unknown;
    };
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 1) return false;
    return isProcessAlive({ pid, startTime: typeof startTime === 'string' ? startTime : null });
  } catch {
    return false;
  }
}

// Remove a note that is not live (its stopper is gone, or it is too old or malformed); keeps a live one.
function removeIfStale(path: string): void {
  try {
    if (!isLiveNote(path)) rmSync(path, { force: true });
  } catch {}
}

/** Remove the notes of stoppers that are gone. */
export function pruneStopNotes(stateRoot: string): void {
  let names: string[];
  try {
    names = readdirSync(stateRoot).filter((name) => name.startsWith(PREFIX));
  } catch {
    return;
  }
  for (const name of names) removeIfStale(join(stateRoot, name));
}

/** The watcher's last step: drop the note of a stopper that died while stopping `id`. */
export function clearStaleStopNote(stateRoot: string, id: string): void {
  removeIfStale(notePath(stateRoot, id));
}

/** Record that this process starts a stop of `id` now (best effort: a note that cannot be written only changes
 *  wording). */
export function writeStopNote(stateRoot: string, id: string): void {
  pruneStopNotes(stateRoot);
  const { O_WRONLY, O_CREAT, O_TRUNC, O_NOFOLLOW } = constants;
  try {
    // Never through a link: a planted symlink makes the open fail (ELOOP) instead of truncating its target.
    const fd = openSync(notePath(stateRoot, id), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o600);
    try {
      writeSync(fd, `${JSON.stringify({ pid: process.pid, startTime: readStartTime(process.pid) })}\n`);
    } finally {
      closeSync(fd);
    }
  } catch {}
}

/** Remove the note of a stop that has finished. */
export function removeStopNote(stateRoot: string, id: string): void {
  rmSync(notePath(stateRoot, id), { force: true });
}

/** True while a stop of `id` is in progress (a live note: a regular file whose stopper still runs). */
export function wasStoppedRecently(stateRoot: string, id: string): boolean {
  return isLiveNote(notePath(stateRoot, id));
}
