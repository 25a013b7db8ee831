// The watcher's own cgroup for its server on the detached backend: entered before the spawn (the server and
// all it forks inherit it), killed whole, child cgroups included, after the server is reaped.

import type { InstanceRecord } from '../cleanup/record.js';
import { createInstanceCgroup, holdsInstanceCgroup, moveIntoCgroup } from '../state/process/cgroup.js';
import { killInstanceCgroup, waitCgroupEmpty } from '../state/process/cgroup-kill.js';
import type { Spec } from '../state/records/spec.js';

/** A cgroup the watcher entered, and the one it came from. */
export interface CgroupScope {
  path: string;
  home: string;
}

// Say that the server runs without a cgroup of its own, and why (status.json's cgroupProblem, shown by `status`).
function reportNoCgroup(report: InstanceRecord, reason: string): null {
  report.update({ cgroup: null, cgroupProblem: reason });
  report.log(`no cgroup for the server (${reason}); strays are found by process group and tag`);
  return null;
}

// Enter a fresh per-instance cgroup before the server is spawned; null (and why, recorded) when none can be had.
export function enterCgroupScope(spec: Spec, report: InstanceRecord): CgroupScope | null {
  if (spec.backend !== 'detached') return null; // systemd gives the unit a cgroup; launchd has none
  // Recorded before it exists, so a backstop finds it if the watcher dies from here on.
  const place = createInstanceCgroup(spec, (path) => {
    if (!report.update({ cgroup: path })) throw new Error('its path could not be recorded in status.json');
  });
  if (place.path === null) return reportNoCgroup(report, place.reason);
  try {
    moveIntoCgroup(place.path, process.pid);
  } catch (cause) {
    void killInstanceCgroup(place.path, spec);
    return reportNoCgroup(report, `cannot enter cgroup ${place.path}: ${(cause as Error).message}`);
  }
  report.log(`server cgroup: ${place.path}`);
  return place;
}

// Leave the cgroup and kill whatever is still in it or below it (daemons that left the server's group and
// environment, or moved into a child cgroup). A nested instance (a server of ours that ran `up`: its watcher's
// cgroup is inside ours) first gets up to settleMs to finish on its own, its parent usually being our server;
// whatever is left then, its watcher and server included, is killed together, and gc finishes its records.
export async function endCgroupScope(
  scope: CgroupScope | null,
  spec: Spec,
  report: InstanceRecord,
  settleMs: number,
): Promise<void> {
  if (!scope) return;
  try {
    moveIntoCgroup(scope.home, process.pid);
  } catch (cause) {
    report.log(`cannot leave cgroup ${scope.path}: ${(cause as Error).message}`);
    return;
  }
  if (settleMs > 0 && holdsInstanceCgroup(scope.path)) {
    report.log(`a nested instance runs inside ${scope.path}: waiting up to ${settleMs} ms for it to finish`);
    if (!(await waitCgroupEmpty(scope.path, settleMs)))
      report.log('the nested instance did not finish in time');
  }
  const result = await killInstanceCgroup(scope.path, spec);
  if (typeof result === 'string') report.error(result);
  else if (result > 0) report.log(`killed ${result} process(es) left in the server's cgroup or below it`);
}
