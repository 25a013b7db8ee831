// Whether this machine gives the tests a delegated cgroup v2 (the detached backend's per-instance cgroup).
import { createInstanceCgroup, killInstanceCgroup } from '../../dist/state/cgroup.js';

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
