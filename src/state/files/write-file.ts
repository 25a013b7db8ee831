// The one way we write a file: an unpredictable name, exclusive create, never through a link, owner-only; a file
// that replaces another is written under a temp name beside it and renamed into place (readers never see half).
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchownSync,
  fstatSync,
  fsyncSync,
  openSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** What was written: the path and its inode, so a later removal can take only that file. */
export interface WrittenFile {
  path: string;
  dev: number;
  ino: number;
}

export interface WriteOptions {
  /** The file's mode (0600 unless said). */
  mode?: number;
  /** fsync the file before it is renamed into place (for records that must survive a crash whole). */
  sync?: boolean;
  /** Give the file to this user before anything is written to it (a secret only a server's own user reads). */
  owner?: { uid: number; gid: number } | null;
}

const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

// Create `path` as a new file (EEXIST when anything, even a dangling link, has the name) holding `content`; an
// empty file left by a failed write (a full disk) is taken back.
export function createFileExclusive(
  path: string,
  content: string | Buffer,
  options: WriteOptions = {},
): WrittenFile {
  const fd = openSync(path, CREATE_FLAGS, options.mode ?? 0o600);
  try {
    if (options.owner) fchownSync(fd, options.owner.uid, options.owner.gid);
    writeFileSync(fd, content); // all of it (a single write may be short)
    if (options.sync) fsyncSync(fd);
    const { dev, ino } = fstatSync(fd);
    return { path, dev, ino };
  } catch (cause) {
    try {
      unlinkSync(path);
    } catch {}
    throw cause;
  } finally {
    closeSync(fd);
  }
}

// Open `path` as a new 0600 file for a writer that streams into it (a download): the same exclusive create, no link
// followed; the caller writes, then closes the fd.
export function openFileExclusive(path: string): number {
  return openSync(path, CREATE_FLAGS, 0o600);
}

// Write `content` to `path`, replacing whatever is there (a planted link is replaced, never written through).
export function writeFileAtomic(
  path: string,
  content: string | Buffer,
  options: WriteOptions = {},
): WrittenFile {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  const written = createFileExclusive(temp, content, options);
  try {
    renameSync(temp, path);
  } catch (cause) {
    try {
      unlinkSync(temp);
    } catch {}
    throw cause;
  }
  return { ...written, path };
}

// Open a log of ours for appending (created 0600 when missing, never through a link); the caller closes the fd.
export function openForAppend(path: string): number {
  return openSync(
    path,
    constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW,
    0o600,
  );
}
