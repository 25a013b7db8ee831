// A process an instance is bound to, identified once: its pid and the start time read with it (a reused pid shows
// another start time), carried from the options to spec.json without a second read.
import { readStartTime } from '../state/process/procstat.js';

/** A process as an instance records it: its pid, and its start time (null where the system does not say). */
export interface ParentRef {
  pid: number;
  startTime: string | null;
}

// Identify `pid` now, its start time read once (null when it is gone, or the system does not say).
export function captureParentRef(pid: number): ParentRef {
  return { pid, startTime: readStartTime(pid) };
}
