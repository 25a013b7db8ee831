// Reading a small file a server wrote inside its data dir, through the checked data dir: the dir is opened and
// proven ours first, then every step below it is opened without following links, so what is read is the file in
// that very dir, never one a planted link or a renamed dir points at. Its content is still untrusted.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { closeDir, type DirHandle, entryPath, openDir } from './dir-handle.js';
import { type OwnedDir, openOwnedDir } from './marker.js';

/** What was read: the text (null when the file or a dir on the way does not exist), or why it was not read. */
export type OwnedRead = { ok: true; text: string | null } | { ok: false; reason: string };

/** A path below a data dir: plain names joined by "/", never empty, ".", ".." or absolute. */
export const OWNED_PATH = /^(?!\.\.?(\/|$))[A-Za-z0-9_.-]+(\/(?!\.\.?(\/|$))[A-Za-z0-9_.-]+)*$/;

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

// Read at most maxBytes of the regular file `name` in the opened dir (a fifo, a device or a link is refused).
function readEntry(dir: DirHandle, name: string, maxBytes: number): string {
  const fd = openSync(entryPath(dir, name), READ_FLAGS);
  try {
    if (!fstatSync(fd).isFile()) throw new Error(`${name} is not a regular file`);
    const buffer = Buffer.alloc(maxBytes);
    const n = readSync(fd, buffer, 0, maxBytes, 0);
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

// Read `relPath` (OWNED_PATH) inside the data dir `owned`, at most maxBytes of it.
export function readOwnedFile(owned: OwnedDir, relPath: string, maxBytes: number): OwnedRead {
  if (!OWNED_PATH.test(relPath))
    return { ok: false, reason: `${JSON.stringify(relPath)} is not a plain path` };
  const root = openOwnedDir(owned);
  if (typeof root === 'string') return { ok: false, reason: root };
  const names = relPath.split('/');
  const file = names.pop() as string;
  const opened: DirHandle[] = [root];
  try {
    for (const name of names) opened.push(openDir(entryPath(opened.at(-1) as DirHandle, name)));
    return { ok: true, text: readEntry(opened.at(-1) as DirHandle, file, maxBytes) };
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, text: null };
    return { ok: false, reason: `${relPath} in ${owned.dir} not read: ${(cause as Error).message}` };
  } finally {
    for (const dir of opened) closeDir(dir);
  }
}
