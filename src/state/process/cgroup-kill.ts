// Killing an instance's cgroup v2 tree: while it or any child cgroup holds a process (`populated 1` in
// cgroup.events), write cgroup.kill (recursive), then remove the child cgroups bottom-up and the cgroup itself.
// The path comes from a record: it must be the instance's by name and place, a cgroup v2 dir of ours, opened
// without following links, and everything after that check goes through the opened handle.
import { fstatSync, statfsSync, writeFileSync } from 'node:fs';
import { closeDir, type DirHandle, dirPath, entryPath, openDir } from '../files/dir-handle.js';
import { type CgroupOwner, findOwnCgroup, isInstanceCgroup } from './cgroup.js';
import { countProcesses, isPopulated, removeChildren, removeSelf, waitUnpopulated } from './cgroup-tree.js';

const CGROUP2_MAGIC = 0x63677270;

// Open a recorded cgroup for killing: the instance's by name and place, a cgroup v2 dir owned by this user, and
// not the cgroup this process is in (nor above it). Null when it is gone; otherwise why it is refused.
function openInstanceCgroup(path: string, owner: CgroupOwner): DirHandle | null | string {
  if (!isInstanceCgroup(path, owner))
    return `${path} is not quickdb-watcher's cgroup for ${owner.id}; not touched`;
  const own = findOwnCgroup();
  if (own === path || own?.startsWith(`${path}/`)) return `${path} holds this very process; not killed`;
  let dir: DirHandle;
  try {
    dir = openDir(path);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return `cannot open cgroup ${path}: ${(cause as Error).message}`;
  }
  try {
    const uid = fstatSync(dir.fd).uid;
    if (statfsSync(dirPath(dir)).type !== CGROUP2_MAGIC) throw new Error('not on a cgroup v2 filesystem');
    if (uid !== process.geteuid?.()) throw new Error(`owned by uid ${uid}`);
    return dir;
  } catch (cause) {
    closeDir(dir);
    return `${path} refused: ${(cause as Error).message}; not touched`;
  }
}

// Kill every process in the instance's cgroup tree and remove the tree; returns how many processes were in it, or
// why it was not (wholly) done. The caller must have left the cgroup first.
export async function killInstanceCgroup(
  path: string,
  owner: CgroupOwner,
  timeoutMs = 5000,
): Promise<number | string> {
  const dir = openInstanceCgroup(path, owner);
  if (dir === null) return 0;
  if (typeof dir === 'string') return dir;
  const deadline = Date.now() + timeoutMs;
  try {
    const count = await countProcesses(dir);
    // cgroup.kill reaches every cgroup below too; written again if a process got in between or is slow to die.
    while (isPopulated(dir)) {
      if (Date.now() > deadline) return `cgroup ${path} still holds processes after ${timeoutMs} ms`;
      writeFileSync(entryPath(dir, 'cgroup.kill'), '1\n');
      await waitUnpopulated(dir, Math.min(deadline, Date.now() + 250));
    }
    await removeChildren(dir, deadline);
    await removeSelf(dir, deadline);
    return count;
  } catch (cause) {
    return `cannot kill and remove cgroup ${path}: ${(cause as Error).message}`;
  } finally {
    closeDir(dir);
  }
}

// Wait up to timeoutMs for a cgroup (the watcher's own, by the path it made) to hold no process; true when it does.
export async function waitCgroupEmpty(path: string, timeoutMs: number): Promise<boolean> {
  let dir: DirHandle;
  try {
    dir = openDir(path);
  } catch {
    return true;
  }
  try {
    return await waitUnpopulated(dir, Date.now() + timeoutMs);
  } finally {
    closeDir(dir);
  }
}
