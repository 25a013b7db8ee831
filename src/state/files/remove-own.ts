// Removing one entry of a dir of ours (a cache entry, a lock, a spare) through the anchored deletion: only when it is
// the type it must be (a dir that is a symlink, or a file that is a dir, is left); never through a link.
import { lstatSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { closeDir, type DirHandle, entryPath, openDir } from './dir-handle.js';
import { removeTree } from './remove-tree.js';

/** What an entry must be to be removed: a real dir (removed with all it holds) or a regular file. */
export type EntryType = 'dir' | 'file';

// Remove the dir at an opened handle's entry `name` with everything in it; false when it is not a dir of this
// filesystem that could be removed whole (a link, a mount inside, a failure).
function removeDirEntry(parent: DirHandle, name: string): boolean {
  let child: DirHandle;
  try {
    child = openDir(entryPath(parent, name)); // O_NOFOLLOW: a link in its place is refused (ELOOP)
  } catch {
    return false;
  }
  child.path = join(parent.path, name);
  try {
    return removeTree(child).removed;
  } finally {
    closeDir(child);
  }
}

// Remove `name` from the opened dir when it is of `type`; true when it is gone.
export function removeOwnEntry(parent: DirHandle, name: string, type: EntryType): boolean {
  if (name === '' || name === '.' || name === '..' || name.includes('/')) return false;
  if (type === 'dir') return removeDirEntry(parent, name);
  try {
    if (!lstatSync(entryPath(parent, name)).isFile()) return false;
    unlinkSync(entryPath(parent, name));
    return true;
  } catch {
    return false;
  }
}

// Remove `path` (a dir or file of `type` directly in a dir of ours), anchored to its parent opened first.
export function removeOwnPath(path: string, type: EntryType): boolean {
  const at = path.lastIndexOf('/');
  let parent: DirHandle;
  try {
    parent = openDir(at <= 0 ? '/' : path.slice(0, at));
  } catch {
    return false;
  }
  try {
    return removeOwnEntry(parent, path.slice(at + 1), type);
  } finally {
    closeDir(parent);
  }
}
