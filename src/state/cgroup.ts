// A cgroup v2 per instance on the detached backend: it holds the server and everything it forks, so a daemon
// that leaves with setsid and a cleared environment is still found and killed (Linux, where a writable cgroup
// v2 subtree can be had; systemd units have their own cgroup already).
import { createHash } from 'node:crypto';
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

const CGROUP_PREFIX = 'quickdb-';

/** Whose cgroup: an instance is its id within its own state dir (the same id may live in another state root). */
export interface CgroupOwner {
  id: string;
  stateDir: string;
}

// The cgroup name of an instance: quickdb-<id>-<hash of its state dir>, unique across state roots.
export function nameInstanceCgroup(owner: CgroupOwner): string {
  const hash = createHash('sha256').update(resolve(owner.stateDir)).digest('hex').slice(0, 12);
  return `${CGROUP_PREFIX}${owner.id}-${hash}`;
}

/** Where the instance's cgroup is and the cgroup the caller came from, or why there is none. */
export type CgroupPlace = { path: string; home: string } | { path: null; reason: string };

// The cgroup v2 mount point, from /proc/self/mountinfo; null when cgroup v2 is not mounted.
export function findCgroupMount(): string | null {
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
export function findOwnCgroup(mount = findCgroupMount()): string | null {
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
export function createInstanceCgroup(owner: CgroupOwner, onPlanned?: (path: string) => void): CgroupPlace {
  if (process.platform !== 'linux') return { path: null, reason: 'not Linux' };
  const home = findOwnCgroup();
  if (!home) return { path: null, reason: 'no cgroup v2 hierarchy mounted' };
  try {
    accessSync(home, constants.W_OK);
    if (!existsSync(join(home, 'cgroup.kill')))
      return { path: null, reason: 'no cgroup.kill (Linux < 5.14)' };
    const path = join(home, nameInstanceCgroup(owner));
    // Taken (an earlier watcher of this very instance is still in it): never record it, never kill it.
    if (existsSync(path)) return { path: null, reason: `${path} exists already` };
    onPlanned?.(path);
    mkdirSync(path);
    return { path, home };
  } catch (cause) {
    return { path: null, reason: `none under ${home}: ${(cause as Error).message}` };
  }
}

// Move process `pid` into the cgroup at `path` (its future children follow it).
export function moveIntoCgroup(path: string, pid: number): void {
  writeFileSync(join(path, 'cgroup.procs'), `${pid}\n`);
}

// True when `path` is a cgroup the instance may own: named for it, inside the cgroup v2 mount.
export function isInstanceCgroup(path: string, owner: CgroupOwner): boolean {
  const mount = findCgroupMount();
  if (!mount || basename(path) !== nameInstanceCgroup(owner)) return false;
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

// Kill everything in the instance's cgroup and remove it; returns how many processes were in it, or a reason
// when the path is not provably the instance's. The caller must have left the cgroup first.
export async function killInstanceCgroup(
  path: string,
  owner: CgroupOwner,
  timeoutMs = 5000,
): Promise<number | string> {
  if (!isInstanceCgroup(path, owner))
    return `${path} is not quickdb-watcher's cgroup for ${owner.id}; not touched`;
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
