// A note that a stop of an id is in progress, so a concurrent `stop` that finds the instance already gone reports
// the stop as done rather than "no such instance". On Linux it is an abstract unix socket held by the stopper, which
// the kernel removes when the stopper exits, however it dies; elsewhere a file in the state root that the stopper
// removes when done (one whose stopper died is removed by the watcher as it finishes, and by the next stop or gc).
import { createHash } from 'node:crypto';
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
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { readProcessRecord } from './process-record.js';
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
    const stopper = readProcessRecord(path);
    return stopper !== null && isProcessAlive(stopper);
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

/** A stop in progress, held until `release`. */
export interface StopNote {
  release(): void;
}

// The abstract socket name of a stop of `id` under stateRoot (no file: the kernel drops it with its holder).
function abstractName(stateRoot: string, id: string): string {
  const hash = createHash('sha256')
    .update(`${resolve(stateRoot)}\0${id}`)
    .digest('hex')
    .slice(0, 32);
  return `quickdb-watcher-stop-${hash}`;
}

/** Record that this process starts a stop of `id` now, until `release` (best effort: a note that cannot be made
 *  only changes wording; another user squatting the name can only make a loser say "already stopped"). */
export async function holdStopNote(stateRoot: string, id: string): Promise<StopNote> {
  if (process.platform !== 'linux') {
    writeStopNote(stateRoot, id);
    return { release: () => removeStopNote(stateRoot, id) };
  }
  const server: Server = createServer((socket) => socket.destroy());
  await new Promise<void>((done) => {
    server.once('error', () => done());
    server.listen(`\0${abstractName(stateRoot, id)}`, () => done());
  });
  server.unref();
  return { release: () => server.close() };
}

// True while some process holds the abstract note of `id` (listed in /proc/net/unix as @name).
function isAbstractNoteHeld(stateRoot: string, id: string): boolean {
  try {
    // The kernel shows the name's NUL padding (libuv binds the whole sun_path) as '@'.
    const name = ` @${abstractName(stateRoot, id)}`;
    const table = readFileSync('/proc/net/unix', 'utf8');
    return table.includes(`${name}@`) || table.includes(`${name}\n`);
  } catch {
    return false;
  }
}

// Write the file note of a stop of `id` (platforms without abstract sockets).
function writeStopNote(stateRoot: string, id: string): void {
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

// Remove the file note of a stop that has finished.
function removeStopNote(stateRoot: string, id: string): void {
  try {
    if (lstatSync(notePath(stateRoot, id), { throwIfNoEntry: false })?.isFile())
      rmSync(notePath(stateRoot, id));
  } catch {}
}

/** True while a stop of `id` is in progress (its note is held, or a file note's stopper still runs). */
export function wasStoppedRecently(stateRoot: string, id: string): boolean {
  return isAbstractNoteHeld(stateRoot, id) || isLiveNote(notePath(stateRoot, id));
}
