// A cgroup v2 tree walked through opened handles: whether it holds processes, how many, and its removal deepest
// first. Every child is opened without following links, below a dir the caller already checked and opened.
import { lstatSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeDir, type DirHandle, dirPath, entryPath, isSameFile, openDir } from '../files/dir-handle.js';

/** Child cgroups deeper than this are neither counted nor removed (cgroup.kill reaches their processes anyway). */
const MAX_DEPTH = 32;

// True while the cgroup or any cgroup below it holds a process; false once it is gone.
export function isPopulated(dir: DirHandle): boolean {
  try {
    return /^populated 1$/m.test(readFileSync(entryPath(dir, 'cgroup.events'), 'utf8'));
  } catch {
    return false;
  }
}

// Run `visit` on each child cgroup of `dir` in turn, opened through the handle without following links; a child
// removed meanwhile is skipped.
async function forEachChild(dir: DirHandle, visit: (child: DirHandle, name: string) => Promise<void>) {
  for (const entry of readdirSync(dirPath(dir), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    let child: DirHandle;
    try {
      child = openDir(entryPath(dir, entry.name));
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw cause;
    }
    try {
      await visit(child, entry.name);
    } finally {
      closeDir(child);
    }
  }
}

// The processes in the cgroup and every cgroup below it (for the log).
export async function countProcesses(dir: DirHandle, depth = 0): Promise<number> {
  let count = readFileSync(entryPath(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).length;
  if (depth < MAX_DEPTH)
    await forEachChild(dir, async (child) => {
      count += await countProcesses(child, depth + 1);
    });
  return count;
}

// Remove `name` (an empty cgroup) from `parent`, retrying while the kernel still calls it busy.
async function removeCgroupDir(parent: DirHandle, name: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      rmdirSync(entryPath(parent, name));
      return;
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || Date.now() > deadline) throw cause;
    }
    await sleep(10);
  }
}

// Remove every cgroup below `dir`, deepest first.
export async function removeChildren(dir: DirHandle, deadline: number, depth = 0): Promise<void> {
  if (depth >= MAX_DEPTH) throw new Error(`child cgroups nest deeper than ${MAX_DEPTH}`);
  const names: string[] = [];
  await forEachChild(dir, async (child, name) => {
    await removeChildren(child, deadline, depth + 1);
    names.push(name);
  });
  for (const name of names) await removeCgroupDir(dir, name, deadline);
}

// Poll until the cgroup holds no process; false when `until` (a time) passes first.
export async function waitUnpopulated(dir: DirHandle, until: number): Promise<boolean> {
  while (isPopulated(dir)) {
    if (Date.now() > until) return false;
    await sleep(10);
  }
  return true;
}

// Remove the (empty, childless) cgroup itself through its parent, if the name there is still the dir checked.
export async function removeSelf(dir: DirHandle, deadline: number): Promise<void> {
  const parent = openDir(entryPath(dir, '..'));
  try {
    const name = basename(dir.path);
    if (!isSameFile(lstatSync(entryPath(parent, name)), dir.id))
      throw new Error(`${dir.path} was replaced; the new one is not removed`);
    await removeCgroupDir(parent, name, deadline);
  } finally {
    closeDir(parent);
  }
}
