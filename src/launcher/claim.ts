// The launcher's claim on an instance dir (launch.json): who is launching there, so gc can tell a slow launch from
// an abandoned one by the launcher's liveness (pid + start time), not by a clock.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InstancePaths } from '../state/paths.js';
import { readStartTime } from '../state/procstat.js';
import { isProvenAlive, type RecordedProcess } from '../state/signal-guard.js';
import type { Spec } from '../state/spec.js';

export const CLAIM_NAME = 'launch.json';

/** The launching process as recorded; startTime proves it is still the same process. */
export interface LaunchClaim {
  pid: number;
  startTime: string;
}

/** Leave a claim naming this process in a freshly claimed instance dir (atomic, owner-only, never through a link). */
export function writeLaunchClaim(paths: InstancePaths): void {
  const startTime = readStartTime(process.pid);
  if (!startTime) return;
  const path = join(paths.dir, CLAIM_NAME);
  const tmp = `${path}.${process.pid}.tmp`;
  // Best effort: without a claim gc falls back to the age grace for this dir.
  try {
    writeFileSync(tmp, `${JSON.stringify({ pid: process.pid, startTime })}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, path);
  } catch {}
}

/** The claim in an instance dir, or null when there is none or it is not valid (then gc falls back to age). */
export function readLaunchClaim(dir: string): LaunchClaim | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, CLAIM_NAME), 'utf8'));
  } catch {
    return null;
  }
  const o = raw as Record<string, unknown> | null;
  if (!o || typeof o !== 'object') return null;
  const { pid, startTime } = o;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 1) return null;
  if (typeof startTime !== 'string' || startTime === '') return null;
  return { pid, startTime };
}

/** The launcher of a dir without status: the spec's, else the claim's; null when neither names one with a start time. */
export function findLauncher(dir: string, spec: Spec | null): RecordedProcess | null {
  if (spec?.launcher?.startTime) return spec.launcher;
  return readLaunchClaim(dir);
}

/** 'alive' while the recorded launcher runs (pid and start time match), 'gone' after, 'unknown' without a record. */
export function checkLauncher(dir: string, spec: Spec | null): 'alive' | 'gone' | 'unknown' {
  const launcher = findLauncher(dir, spec);
  if (!launcher) return 'unknown';
  return isProvenAlive(launcher) ? 'alive' : 'gone';
}
