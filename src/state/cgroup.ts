// A cgroup v2 per instance on the detached backend: it holds the server and everything it forks, so a daemon
// that leaves with setsid and a cleared environment is still found and killed (Linux, where a writable cgroup
// v2 subtree can be had; systemd units have their own cgroup already).
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export const CGROUP_PREFIX = 'quickdb-';

/** Where the instance's cgroup is and the cgroup the caller came from, or why there is none. */
export type CgroupPlace = { path: string; home: string } | { path: null; reason: string };

// The cgroup v2 mount point, from /proc/self/mountinfo; null when cgroup v2 is not mounted.
export function findCgroup2Mount(): string | null {
  let text: string;
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    if (right?.split(' ')[0] === 'cgroup2') return left?.split(' ')[4]?.replace(/\\040/g, ' ') ?? null;
  }
  return null;
}

// The caller's own cgroup v2 dir (the `0::` line of /proc/self/cgroup under the mount); null when unknown.
export function findOwnCgroup(mount = findCgroup2Mount()): string | null {
  if (!mount) return null;
  try {
    const line = readFileSync('/proc/self/cgroup', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('0::'));
    if (!line) return null;
    const dir = join(mount, line.slice(3).replace(/ \(deleted\)$/, ''));
    return existsSync(join(dir, 'cgroup.procs')) ? dir : null;
  } catch {
    return null;
  }
}

// Make a cgroup for instance `id` as a child of the caller's own (`onPlanned` hears its path before it exists,
// so it can be recorded first); a null path with a reason when the platform, hierarchy or permissions forbid it.
export function createInstanceCgroup(id: string, onPlanned?: (path: string) => void): CgroupPlace {
  if (process.platform !== 'linux') return { path: null, reason: 'not Linux' };
  const home = findOwnCgroup();
  if (!home) return { path: null, reason: 'no cgroup v2 hierarchy mounted' };
  try {
    accessSync(home, constants.W_OK);
    if (!existsSync(join(home, 'cgroup.kill')))
      return { path: null, reason: 'no cgroup.kill (Linux < 5.14)' };
    const path = join(home, `${CGROUP_PREFIX}${id}`);
    // Taken (the same id from another state root): never record it, so no backstop of ours ever kills it.
    if (existsSync(path))
      return { path: null, reason: `${path} exists (the same id in another state root?)` };
    onPlanned?.(path);
    mkdirSync(path);
    return { path, home };
  } catch (cause) {
    return { path: null, reason: `cgroup ${home} is not delegated to us (${(cause as Error).message})` };
  }
}

// Move process `pid` into the cgroup at `path` (its future children follow it).
export function moveIntoCgroup(path: string, pid: number): void {
  writeFileSync(join(path, 'cgroup.procs'), `${pid}\n`);
}

// True when `path` is a cgroup that instance `id` may own: named quickdb-<id>, inside the cgroup v2 mount.
export function isInstanceCgroup(path: string, id: string): boolean {
  const mount = findCgroup2Mount();
  if (!mount || basename(path) !== `${CGROUP_PREFIX}${id}`) return false;
  const parent = dirname(path);
  return resolve(path) === path && (parent === mount || parent.startsWith(`${mount}/`));
}

// The pids still in a cgroup (empty when it is gone).
export function listCgroupProcesses(path: string): number[] {
  try {
    return readFileSync(join(path, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

// Kill everything in instance `id`'s cgroup and remove it; returns how many processes were in it, or a reason
// when the path is not provably the instance's. The caller must have left the cgroup first.
export async function killInstanceCgroup(
  path: string,
  id: string,
  timeoutMs = 5000,
): Promise<number | string> {
  if (!isInstanceCgroup(path, id)) return `${path} is not quickdb-watcher's cgroup for ${id}; not touched`;
  if (!existsSync(path)) return 0;
  const count = listCgroupProcesses(path).length;
  try {
    if (count > 0) writeFileSync(join(path, 'cgroup.kill'), '1\n');
  } catch (cause) {
    return `cannot kill cgroup ${path}: ${(cause as Error).message}`;
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      rmdirSync(path);
      return count;
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return count;
      if (Date.now() > deadline) return `cgroup ${path} still busy: ${(cause as Error).message}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
