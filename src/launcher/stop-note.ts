// A note in the state root while a stop of an id is in progress, so a concurrent `stop` that finds the instance
// already gone reports the stop as done rather than "no such instance". The stopper removes it when done.
import { closeSync, constants, lstatSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A note older than this is left from a stopper that died (a stop waits at most about this long). */
const NOTE_TTL_MS = 600_000;
const PREFIX = '.stopped-';

function notePath(stateRoot: string, id: string): string {
  return join(stateRoot, `${PREFIX}${id}`);
}

// Remove notes older than the TTL (ids that were stopped long ago).
function pruneStopNotes(stateRoot: string): void {
  let names: string[];
  try {
    names = readdirSync(stateRoot).filter((name) => name.startsWith(PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    try {
      if (Date.now() - lstatSync(join(stateRoot, name)).mtimeMs > NOTE_TTL_MS) rmSync(join(stateRoot, name));
    } catch {}
  }
}

/** Record that a stop of `id` starts now (best effort: a note that cannot be written only changes wording). */
export function writeStopNote(stateRoot: string, id: string): void {
  pruneStopNotes(stateRoot);
  const { O_WRONLY, O_CREAT, O_TRUNC, O_NOFOLLOW } = constants;
  try {
    // Never through a link: a planted symlink makes the open fail (ELOOP) instead of truncating its target.
    const fd = openSync(notePath(stateRoot, id), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o600);
    try {
      writeSync(fd, `${new Date().toISOString()}\n`);
    } finally {
      closeSync(fd);
    }
  } catch {}
}

/** Remove the note of a stop that has finished. */
export function removeStopNote(stateRoot: string, id: string): void {
  rmSync(notePath(stateRoot, id), { force: true });
}

/** True while a stop of `id` is in progress (a regular file, not a link, in the state root). */
export function wasStoppedRecently(stateRoot: string, id: string): boolean {
  try {
    const st = lstatSync(notePath(stateRoot, id), { throwIfNoEntry: false });
    return st?.isFile() === true && Date.now() - st.mtimeMs <= NOTE_TTL_MS;
  } catch {
    return false;
  }
}
