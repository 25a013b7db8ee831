// What holds all of an instance's processes so that its stop reaches every one: its own cgroup (detached backend),
// its systemd unit's cgroup, or nothing, and then why. `status` shows it.
import { unitNameFor } from '../generate/systemd.js';
import type { Spec } from '../state/records/spec.js';
import type { Status } from '../state/records/status.js';

/** An instance's containment: the cgroup or unit that holds its processes, or why there is none. */
export type Containment =
  | { available: true; cgroup: string }
  | { available: true; unit: string }
  | { available: false; reason: string };

// The containment of an instance from its validated records; null while the watcher has not said (or no spec).
export function describeContainment(spec: Spec | null, status: Status | null): Containment | null {
  if (!spec) return null;
  if (spec.backend === 'systemd' || spec.backend === 'systemd-system')
    return { available: true, unit: unitNameFor(spec.id) };
  if (spec.backend === 'launchd')
    return { available: false, reason: 'launchd has no cgroups; strays are found by process group and tag' };
  if (status?.cgroup) return { available: true, cgroup: status.cgroup };
  if (status?.cgroupProblem) return { available: false, reason: status.cgroupProblem };
  return null;
}

// One line for people: "cgroup PATH", "systemd unit NAME", "not available: REASON", or "-".
export function formatContainment(containment: Containment | null): string {
  if (!containment) return '-';
  if (!containment.available) return `not available: ${containment.reason}`;
  return 'cgroup' in containment ? `cgroup ${containment.cgroup}` : `systemd unit ${containment.unit}`;
}
