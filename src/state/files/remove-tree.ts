// The one function that deletes trees: anchored to an opened, checked dir; never follows a link, never crosses a mount.
import { readdirSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  assertInPlace,
  closeDir,
  currentPath,
  type DirHandle,
  dirPath,
  entryPath,
  hasProcFd,
  openDir,
  readMountId,
  readMountPoints,
} from './dir-handle.js';
import { errorText, exists, removeEmptied, removeEntry, reopen, type Walk } from './remove-entry.js';

/** Directory handles held open at once while descending; deeper levels re-open their parent through `..`. */
const HOLD_LIMIT = 32;

export interface TreeOptions {
  /** Top-level entries left alone (and not reported). */
  keep?: readonly string[];
  /** A top-level entry removed after everything else, and only when nothing was left (the ownership marker). */
  last?: string;
}

export interface TreeResult {
  /** Mount points (another filesystem, or a mount of this one) left in place, by path. */
  left: string[];
  /** Entries that could not be removed, each with why. */
  failed: string[];
  /** True when the dir itself is gone. */
  removed: boolean;
}

interface Frame {
  dir: DirHandle;
  names: string[];
  next: number;
  /** Problems counted when the frame was entered: more at its end means the dir is not empty. */
  before: number;
}

// A frame for an opened dir: its entries listed through the handle (minus `keep`).
function enter(walk: Walk, dir: DirHandle, keep: readonly string[]): Frame {
  const before = walk.left.length + walk.failed.length;
  try {
    assertInPlace(dir);
    const names = readdirSync(dirPath(dir)).filter((name) => !keep.includes(name));
    return { dir, names, next: 0, before };
  } catch (cause) {
    walk.failed.push(`${dir.path} (${errorText(cause)})`);
    return { dir, names: [], next: 0, before };
  }
}

// Empty the root depth-first without recursion; at most HOLD_LIMIT handles are open (deeper, a parent's fd is
// released and re-opened through its child's `..`, checked), and every handle is closed whatever happens.
function emptyTree(walk: Walk, root: DirHandle, keep: readonly string[]): void {
  const stack: Frame[] = [enter(walk, root, keep)];
  try {
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as Frame;
      const name = top.names[top.next++];
      if (name !== undefined) {
        const child = removeEntry(walk, top.dir, name);
        if (!child) continue;
        if (stack.length > HOLD_LIMIT) closeDir(top.dir);
        stack.push(enter(walk, child, []));
        continue;
      }
      if (stack.length === 1) break;
      stack.pop();
      const parent = stack[stack.length - 1] as Frame;
      try {
        if (parent.dir.fd < 0) reopen(parent.dir, top.dir);
      } finally {
        closeDir(top.dir);
      }
      if (walk.left.length + walk.failed.length === top.before) {
        removeEmptied(walk, parent.dir, basename(top.dir.path), top.dir.id);
      }
    }
  } finally {
    for (const frame of stack.slice(1)) closeDir(frame.dir);
  }
}

// Remove the dir itself through its current parent, when its name there still holds it.
function removeRoot(walk: Walk, root: DirHandle): boolean {
  const name = basename(root.path);
  let parent: DirHandle;
  try {
    parent = openDir(hasProcFd() ? `/proc/self/fd/${root.fd}/..` : join(root.path, '..'));
  } catch (cause) {
    walk.failed.push(`${root.path} (${errorText(cause)})`);
    return false;
  }
  parent.path = join(root.path, '..');
  try {
    removeEmptied(walk, parent, name, root.id);
    return walk.failed.length === 0;
  } finally {
    closeDir(parent);
  }
}

/** Remove an opened, already checked dir and everything in it, descending only through opened handles (on Linux
 *  by /proc/self/fd, so swapping a path for a link cannot redirect it; elsewhere by path, re-checking device and
 *  inode at each step). A mount point inside is left and reported, never entered. `options.last` goes last, and
 *  only when nothing was left, so a removal cut short leaves it. The caller keeps ownership of `root`'s fd. */
export function removeTree(root: DirHandle, options: TreeOptions = {}): TreeResult {
  const walk: Walk = {
    dev: root.id.dev,
    mountId: readMountId(root.fd),
    mounts: readMountPoints(),
    left: [],
    failed: [],
  };
  const keep = [...(options.keep ?? []), ...(options.last ? [options.last] : [])];
  try {
    emptyTree(walk, root, keep);
    const kept = (options.keep ?? []).some((name) => exists(entryPath(root, name)));
    if (walk.left.length > 0 || walk.failed.length > 0 || kept) {
      return { left: walk.left, failed: walk.failed, removed: false };
    }
    const here = currentPath(root) ?? root.path;
    if (walk.mounts.has(here)) {
      // The dir itself is a mount point: its contents are gone, the dir (and its marker) cannot go.
      walk.left.push(here);
      return { left: walk.left, failed: walk.failed, removed: false };
    }
    if (options.last) {
      try {
        unlinkSync(entryPath(root, options.last));
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code !== 'ENOENT')
          walk.failed.push(`${options.last} (${errorText(cause)})`);
      }
    }
    return {
      left: walk.left,
      failed: walk.failed,
      removed: walk.failed.length === 0 && removeRoot(walk, root),
    };
  } catch (cause) {
    walk.failed.push((cause as Error).message);
    return { left: walk.left, failed: walk.failed, removed: false };
  }
}
