// A note that a stop of an id began, kept in the (private) state root for a while after the stop ends: a `stop`
// that finds the instance already gone answers "already stopped" while a note younger than NOTE_TTL_MS is there,
// whether the other stop still waits or has finished, so two racing stops both succeed however they interleave.
// A file in our own private dir: no other user can plant or hold one (an abstract socket name anyone could bind).
import { lstatSync, lutimesSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { removeOwnPath } from '../files/remove-own.js';
import { createFileExclusive } from '../files/write-file.js';
import { readStartTime } from '../process/procstat.js';
import { ID_PATTERN } from './spec.js';

/** How long after a stop began (or ended) another stop of the same id answers "already stopped". */
export const NOTE_TTL_MS = 600_000;
const PREFIX = '.stopped-';

// The note's path; null for a string that is no instance id ("../x" would name a file outside the state root).
function notePath(stateRoot: string, id: string): string | null {
  return ID_PATTERN.test(id) ? join(stateRoot, `${PREFIX}${id}`) : null;
}

// True when the note at path is a regular file written (or refreshed) within the TTL.
function isRecentNote(path: string, now = Date.now()): boolean {
  try {
    const st = lstatSync(path, { throwIfNoEntry: false });
    return st?.isFile() === true && now - st.mtimeMs <= NOTE_TTL_MS;
  } catch {
    return false;
  }
}

/** Remove the notes older than the TTL (gc, and each new stop). */
export function pruneStopNotes(stateRoot: string): void {
  let names: string[];
  try {
    names = readdirSync(stateRoot).filter((name) => name.startsWith(PREFIX));
  } catch {
    return;
  }
  for (const name of names)
    if (!isRecentNote(join(stateRoot, name))) removeOwnPath(join(stateRoot, name), 'file');
}

/** A stop in progress: `release` when it ends (the note then says when it ended). */
export interface StopNote {
  release(): void;
}

// Write the note of a stop of `id`, or refresh its time when it is there (best effort: without one, a loser only
// says "no such instance"). Created in place, exclusively, never through a link: a stopper killed mid-write leaves at
// worst a short note (only its time is read), never a temp file beside it.
function writeStopNote(stateRoot: string, id: string): void {
  const path = notePath(stateRoot, id);
  if (path === null) return;
  try {
    const at = new Date();
    const text = `${JSON.stringify({ pid: process.pid, startTime: readStartTime(process.pid), at })}\n`;
    try {
      createFileExclusive(path, text);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause;
      if (lstatSync(path).isFile()) lutimesSync(path, at, at);
    }
  } catch {}
}

/** Record that this process starts a stop of `id` now; `release` refreshes the note as the stop ends. */
export function holdStopNote(stateRoot: string, id: string): StopNote {
  pruneStopNotes(stateRoot);
  writeStopNote(stateRoot, id);
  return { release: () => writeStopNote(stateRoot, id) };
}

/** True when a stop of `id` began or ended within the TTL. */
export function wasStoppedRecently(stateRoot: string, id: string): boolean {
  const path = notePath(stateRoot, id);
  return path !== null && isRecentNote(path);
}
