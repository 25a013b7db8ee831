// The watcher's own cgroup for its server on the detached backend: entered before the spawn (the server and
// all it forks inherit it), killed whole after the server is reaped.

import type { InstanceRecord } from '../cleanup/record.js';
import { createInstanceCgroup, killInstanceCgroup, moveIntoCgroup } from '../state/cgroup.js';
import type { Spec } from '../state/spec.js';

/** A cgroup the watcher entered, and the one it came from. */
export interface CgroupScope {
  path: string;
  home: string;
}

// Enter a fresh per-instance cgroup before the server is spawned; null (and why, logged) when none can be had.
export function enterCgroupScope(spec: Spec, report: InstanceRecord): CgroupScope | null {
  if (spec.backend !== 'detached') return null; // systemd gives the unit a cgroup; launchd has none
  // Recorded before it exists, so a backstop finds it if the watcher dies from here on.
  const place = createInstanceCgroup(spec, (path) => {
    if (!report.update({ cgroup: path })) throw new Error('its path could not be recorded in status.json');
  });
  if (place.path === null) {
    report.update({ cgroup: null });
    report.log(`no cgroup for the server (${place.reason}); strays are found by process group and tag`);
    return null;
  }
  try {
    moveIntoCgroup(place.path, process.pid);
  } catch (cause) {
    report.log(`cannot enter cgroup ${place.path}: ${(cause as Error).message}`);
    void killInstanceCgroup(place.path, spec);
    report.update({ cgroup: null });
    return null;
  }
  report.log(`server cgroup: ${place.path}`);
  return place;
}

// Leave the cgroup and kill whatever is still in it (daemons that left the server's group and environment).
export async function endCgroupScope(
  scope: CgroupScope | null,
  spec: Spec,
  report: InstanceRecord,
): Promise<void> {
  if (!scope) return;
  try {
    moveIntoCgroup(scope.home, process.pid);
  } catch (cause) {
    report.log(`cannot leave cgroup ${scope.path}: ${(cause as Error).message}`);
    return;
  }
  const result = await killInstanceCgroup(scope.path, spec);
  if (typeof result === 'string') report.error(result);
  else if (result > 0) report.log(`killed ${result} process(es) left in the server's cgroup`);
}
