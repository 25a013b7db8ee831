// The ownership marker file: written by exclusive create, never through a link; read only when it is a plain file.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { createFileExclusive } from './write-file.js';

export const MARKER_NAME = '.quickdb-watcher';

/** Markers are a short id and a newline; anything longer is not one of ours. */
const MARKER_MAX_BYTES = 256;

/** What a dir's marker says: none, an instance id, or something foreign (a link, a fifo, a dir, garbage).
 *  `empty`: an empty regular file, what our own write leaves when cut short between creating the file and writing
 *  the id (foreign unless the dir holds nothing else and the caller knows its work was cut short). */
export type MarkerState =
  | { kind: 'absent' }
  | { kind: 'id'; id: string }
  | { kind: 'foreign'; why: string; empty?: boolean };

// What kind of file is at path, in words ("a symlink", "a fifo"), for messages.
function describeKind(path: string): string {
  try {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return 'a symlink';
    if (st.isDirectory()) return 'a directory';
    if (st.isFIFO()) return 'a fifo';
    if (st.isSocket()) return 'a socket';
    if (st.isBlockDevice() || st.isCharacterDevice()) return 'a device';
    return 'a file';
  } catch {
    return 'unreadable';
  }
}

// Read the marker in the dir at `dir` (a path or /proc/self/fd/N), never following a link or blocking on a fifo.
export function inspectMarkerAt(dir: string): MarkerState {
  const path = `${dir}/${MARKER_NAME}`;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'foreign', why: `${MARKER_NAME} is ${describeKind(path)}, not a regular file` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      return { kind: 'foreign', why: `${MARKER_NAME} is ${describeKind(path)}, not a regular file` };
    if (st.nlink !== 1)
      return { kind: 'foreign', why: `${MARKER_NAME} has ${st.nlink} hard links, ours has one` };
    if (st.size > MARKER_MAX_BYTES) return { kind: 'foreign', why: `${MARKER_NAME} is larger than a marker` };
    if (st.size === 0) return { kind: 'foreign', why: `${MARKER_NAME} is empty`, empty: true };
    const buffer = Buffer.alloc(MARKER_MAX_BYTES + 1);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const id = buffer.subarray(0, length).toString('utf8').trim();
    if (length > MARKER_MAX_BYTES || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id)) {
      return { kind: 'foreign', why: `${MARKER_NAME} does not hold an instance id` };
    }
    return { kind: 'id', id };
  } finally {
    closeSync(fd);
  }
}

// The id in a dir's marker, or null when there is no regular marker file holding one.
export function readMarker(dir: string): string | null {
  const state = inspectMarkerAt(dir);
  return state.kind === 'id' ? state.id : null;
}

// Create the marker in the dir at `dir` (a path or /proc/self/fd/N): exclusive, 0600, never through a link
// (EEXIST when anything, even a dangling link, already has the name); an empty one left by a full disk is taken back,
// or it would read as a foreign marker and keep the dir forever.
export function writeMarkerAt(dir: string, id: string): void {
  createFileExclusive(`${dir}/${MARKER_NAME}`, `${id}\n`);
}
