// One step of an anchored removal: an entry of an opened dir removed, or opened (checked) to descend into.
import { lstatSync, rmdirSync, type Stats, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertInPlace,
  closeDir,
  type DirHandle,
  entryPath,
  hasProcFd,
  type Identity,
  isSameFile,
  openDir,
  readMountId,
} from './dir-handle.js';

/** What a removal has met so far: the data dir's device and mount, the mount points, what was left or failed. */
export interface Walk {
  dev: number;
  mountId: number | null;
  mounts: Set<string>;
  left: string[];
  failed: string[];
}

// The errno code (or message) of a failure, for reports.
export function errorText(cause: unknown): string {
  return (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
}

// True when something (even a dangling link) is at path.
export function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

// Re-open a dir whose fd was released to bound fd use: through the child's `..`, checked to be the same dir.
export function reopen(dir: DirHandle, child: DirHandle): void {
  const reopened = openDir(hasProcFd() ? `/proc/self/fd/${child.fd}/..` : dir.path);
  if (!isSameFile(reopened.id, dir.id)) {
    closeDir(reopened);
    throw new Error(`${dir.path} was moved while being removed; stopped`);
  }
  dir.fd = reopened.fd;
}

// Open a subdir through its parent's handle; null (and reported) when it is a mount or changed since its lstat.
function openChild(walk: Walk, dir: DirHandle, name: string, st: Stats): DirHandle | null {
  const path = join(dir.path, name);
  let child: DirHandle;
  try {
    child = openDir(entryPath(dir, name));
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') walk.failed.push(`${path} (${errorText(cause)})`);
    return null;
  }
  child.path = path;
  const mountId = readMountId(child.fd);
  if (walk.mountId !== null && mountId !== null && mountId !== walk.mountId) {
    walk.left.push(path);
  } else if (!isSameFile(child.id, st)) {
    walk.failed.push(`${path} (replaced while being removed)`);
  } else {
    return child;
  }
  closeDir(child);
  return null;
}

// Remove an emptied subdir, after checking the name still holds the dir that was emptied.
export function removeEmptied(walk: Walk, dir: DirHandle, name: string, id: Identity): void {
  try {
    if (!isSameFile(lstatSync(entryPath(dir, name)), id)) throw new Error('replaced while being removed');
    rmdirSync(entryPath(dir, name));
  } catch (cause) {
    walk.failed.push(`${join(dir.path, name)} (${errorText(cause)})`);
  }
}

// Remove one entry of an opened dir, or return the opened subdir to descend into.
export function removeEntry(walk: Walk, dir: DirHandle, name: string): DirHandle | null {
  const path = join(dir.path, name);
  assertInPlace(dir);
  let st: Stats;
  try {
    st = lstatSync(entryPath(dir, name));
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') walk.failed.push(`${path} (${errorText(cause)})`);
    return null;
  }
  if (walk.mounts.has(path) || (st.isDirectory() && st.dev !== walk.dev)) {
    walk.left.push(path);
    return null;
  }
  if (st.isDirectory()) return openChild(walk, dir, name, st);
  try {
    unlinkSync(entryPath(dir, name)); // never follows a link: removes the name in this dir only
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'EBUSY') walk.left.push(path);
    else if (code !== 'ENOENT') walk.failed.push(`${path} (${errorText(cause)})`);
  }
  return null;
}
