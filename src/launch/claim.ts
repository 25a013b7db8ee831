// The launcher's claim on an instance dir (launch.json): who is launching there, so gc can tell a slow launch from
// an abandoned one by the launcher's liveness (pid + start time), not by a clock.
import { type Dirent, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deleteStateDir } from '../state/files/marker.js';
import { isProcessAlive, type ProcessRef } from '../state/process/procstat.js';
import { readProcessRecord } from '../state/records/process-record.js';
import type { Spec } from '../state/records/spec.js';

export const CLAIM_NAME = 'launch.json';

/** The launchers a dir without status names: its claim's and its spec's (they differ while a finished record is
 *  taken over: the claim is the new launch's, a spec read a moment earlier the old one's). */
function findLaunchers(dir: string, spec: Spec | null): ProcessRef[] {
  const claim = readProcessRecord(join(dir, CLAIM_NAME));
  const launchers: ProcessRef[] = [];
  for (const ref of [claim, spec?.launcher])
    if (ref?.startTime) launchers.push({ pid: ref.pid, startTime: ref.startTime });
  return launchers;
}

/** 'alive' while any recorded launcher runs (pid and start time match), 'gone' once all have ended, 'unknown' without
 *  a record (then gc falls back to age). */
export function checkLauncher(dir: string, spec: Spec | null): 'alive' | 'gone' | 'unknown' {
  const launchers = findLaunchers(dir, spec);
  if (launchers.length === 0) return 'unknown';
  // Liveness, not a signal: the start time must match, and this very process counts as alive.
  return launchers.some((launcher) => isProcessAlive(launcher)) ? 'alive' : 'gone';
}

/** The prefix of a launcher's private staging dir in the state root (renamed onto `<root>/<id>` to claim it). */
export const STAGING_PREFIX = '.claim-';

// Remove the staging dirs of launchers that died mid-claim (an instance listing never shows them): one whose claim
// names a launcher that is gone; one without a readable claim only once older than `graceMs` (a claim is being
// written into it for a moment); a live launcher's is left alone. Returns how many went.
export function collectStaleClaims(stateRoot: string, graceMs: number): number {
  let entries: Dirent[];
  try {
    entries = readdirSync(stateRoot, { withFileTypes: true });
  } catch {
    return 0;
  }
  let removed = 0;
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith(STAGING_PREFIX)) continue;
    const dir = join(stateRoot, entry.name);
    const launcher = checkLauncher(dir, null);
    if (launcher === 'alive' || (launcher === 'unknown' && ageOf(dir) < graceMs)) continue;
    if (deleteStateDir(dir, stateRoot).ok) removed++;
  }
  return removed;
}

// Milliseconds since a path last changed (0 when it cannot be told, so it counts as new).
function ageOf(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
