// Opened directory handles: a dir opened without following links, named by its fd so a rename cannot redirect it.
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readFileSync,
  readlinkSync,
} from 'node:fs';
import { join } from 'node:path';

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/** A device and inode: what a checked dir was, compared again before anything is removed in it. */
export interface Identity {
  dev: number;
  ino: number;
}

/** An opened directory: its fd and the path it was opened at (for messages, and as the non-Linux fallback). */
export interface DirHandle {
  fd: number;
  path: string;
  id: Identity;
}

let procFd: boolean | undefined;

// True where /proc/self/fd names an opened file (Linux): paths through it follow the handle, not the name.
export function hasProcFd(): boolean {
  procFd ??= process.platform === 'linux' && existsSync('/proc/self/fd');
  return procFd;
}

// True when two stats (or identities) name the same file.
export function isSameFile(a: Identity, b: Identity): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

// Open `path` as a directory, never through a final symlink (ELOOP), and record what it is.
export function openDir(path: string): DirHandle {
  const fd = openSync(path, DIR_FLAGS);
  try {
    const st = fstatSync(fd);
    return { fd, path, id: { dev: st.dev, ino: st.ino } };
  } catch (cause) {
    closeSync(fd);
    throw cause;
  }
}

// Close a handle's fd once (a handle whose fd is -1 was already released).
export function closeDir(dir: DirHandle): void {
  if (dir.fd >= 0) closeSync(dir.fd);
  dir.fd = -1;
}

// The path of the opened dir itself: its fd on Linux, its path elsewhere.
export function dirPath(dir: DirHandle): string {
  return hasProcFd() ? `/proc/self/fd/${dir.fd}` : dir.path;
}

// The path of `name` inside the opened dir (anchored to the handle on Linux).
export function entryPath(dir: DirHandle, name: string): string {
  return hasProcFd() ? `/proc/self/fd/${dir.fd}/${name}` : join(dir.path, name);
}

// Throw unless the handle's path still names the opened dir (the check the non-Linux fallback makes at each step).
export function assertInPlace(dir: DirHandle): void {
  if (hasProcFd()) return;
  const st = lstatSync(dir.path);
  if (!isSameFile(st, dir.id)) throw new Error(`${dir.path} was replaced while being removed; stopped`);
}

// Where the opened dir is now (Linux), or null when that cannot be told.
export function currentPath(dir: DirHandle): string | null {
  if (!hasProcFd()) return null;
  try {
    return readlinkSync(`/proc/self/fd/${dir.fd}`);
  } catch {
    return null;
  }
}

// The mount an opened file is on (Linux's mnt_id), or null elsewhere: a bind mount differs even on the same device.
export function readMountId(fd: number): number | null {
  if (!hasProcFd()) return null;
  try {
    const match = /^mnt_id:\s*(\d+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

// Every mount point in this mount namespace (Linux; empty elsewhere), by path.
export function readMountPoints(): Set<string> {
  const points = new Set<string>();
  let text = '';
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return points;
  }
  for (const line of text.split('\n')) {
    const field = line.split(' ')[4];
    if (field)
      points.add(field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8))));
  }
  return points;
}
