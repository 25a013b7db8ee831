// A cgroup v2 per instance on the detached backend: it holds the server and everything it forks, so a daemon
// that leaves with setsid and a cleared environment is still found and killed (Linux, where a writable cgroup
// v2 subtree can be had; systemd units have their own cgroup already).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
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

// Make a cgroup for instance `id` as a child of the caller's own, the root cgroup included (`onPlanned` hears its
// path before it exists, so it can be recorded first); a null path with a reason when the platform, hierarchy,
// kernel or permissions forbid it. The caller's cgroup is where it may make one: never an ancestor's, which would
// take the server out of the limits the caller runs under.
export function createInstanceCgroup(owner: CgroupOwner, onPlanned?: (path: string) => void): CgroupPlace {
  if (process.platform !== 'linux') return { path: null, reason: 'not Linux' };
  const home = findOwnCgroup();
  if (!home) return { path: null, reason: 'no cgroup v2 hierarchy mounted' };
  const path = join(home, nameInstanceCgroup(owner));
  try {
    // Taken (an earlier watcher of this very instance is still in it): never record it, never kill it.
    if (existsSync(path)) return { path: null, reason: `${path} exists already` };
    onPlanned?.(path);
    mkdirSync(path);
  } catch (cause) {
    return { path: null, reason: `cannot make a cgroup under ${home}: ${(cause as Error).message}` };
  }
  // The root cgroup has no cgroup.kill of its own: whether the kernel has it shows in the new cgroup.
  if (existsSync(join(path, 'cgroup.kill'))) return { path, home };
  rmdirSync(path);
  return { path: null, reason: 'no cgroup.kill (Linux < 5.14)' };
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

// True when a cgroup holds another instance's cgroup: a server of ours started an instance of its own.
export function holdsInstanceCgroup(path: string): boolean {
  try {
    return readdirSync(path, { withFileTypes: true }).some(
      (entry) => entry.isDirectory() && entry.name.startsWith(CGROUP_PREFIX),
    );
  } catch {
    return false;
  }
}
