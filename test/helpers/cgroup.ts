// Whether this machine gives the tests a delegated cgroup v2 (the detached backend's per-instance cgroup), and the
// cgroup facts the containment tests observe.
import { existsSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInstanceCgroup, findCgroupMount } from '../../dist/state/process/cgroup.js';
import { killInstanceCgroup } from '../../dist/state/process/cgroup-kill.js';
import { waitFor } from './poll.js';

/** `available`, and `what` to name in a loud skip. */
export interface CgroupProbe {
  available: boolean;
  what: string;
}

// Make and remove a probe cgroup once; says why there is none.
export async function probeCgroup(): Promise<CgroupProbe> {
  const owner = { id: `probe-${process.pid}`, stateDir: `/nonexistent/probe-${process.pid}` };
  const place = createInstanceCgroup(owner);
  if (place.path) await killInstanceCgroup(place.path, owner);
  return {
    available: place.path !== null,
    what: `a delegated cgroup v2 (${place.path === null ? place.reason : 'ok'})`,
  };
}

// The cgroup v2 dir a process is in now (null when it is gone or there is no cgroup v2).
export function cgroupOf(pid: number): string | null {
  const mount = findCgroupMount();
  try {
    const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('0::'));
    return mount && line ? join(mount, line.slice(3)) : null;
  } catch {
    return null;
  }
}

// The child cgroups of a cgroup dir (empty when it is gone).
function listChildren(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(path, e.name));
  } catch {
    return [];
  }
}

// After a failed test: kill whatever is in a cgroup tree and remove it bottom-up, polling until each dir goes.
export async function removeCgroupTree(path: string): Promise<void> {
  if (!existsSync(path)) return;
  try {
    writeFileSync(join(path, 'cgroup.kill'), '1\n');
  } catch {}
  const remove = async (dir: string): Promise<void> => {
    for (const child of listChildren(dir)) await remove(child);
    await waitFor(`${dir} removed`, () => {
      try {
        rmdirSync(dir);
      } catch (cause) {
        return (cause as NodeJS.ErrnoException).code === 'ENOENT';
      }
      return true;
    });
  };
  await remove(path);
}
