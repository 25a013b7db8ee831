// The instances under a state root, as `list`, `status` and `gc` see them: spec, status and what is still alive.
import { readdirSync, statSync } from 'node:fs';
import type { Placement } from '../launch/placement.js';
import { readLaunchRecord } from '../launch/record.js';
import type { ServerInfo } from '../launch/server-info.js';
import { isProcessAlive } from '../state/process/procstat.js';
import { isProvenAlive } from '../state/process/signal-guard.js';
import { getInstancePaths } from '../state/records/paths.js';
import { readSpecAt } from '../state/records/records.js';
import { ID_PATTERN, type Spec } from '../state/records/spec.js';
import { readStatusRecord, readWatcherRef, type Status } from '../state/records/status.js';
import { type Containment, describeContainment } from './containment.js';

/** One instance as its records show it, and which of its processes are alive. */
export interface InstanceView {
  /** The instance id. */
  id: string;
  /** Its dir under the state root (spec.json, status.json, the logs). */
  stateDir: string;
  /** spec.json as read back and checked; null when missing or refused. */
  spec: Spec | null;
  /** status.json as read back and checked; null when missing or refused. */
  status: Status | null;
  /** The engine ("?" without a spec). */
  driver: string;
  /** How its watcher was launched: systemd, launchd or detached ("?" without a spec). */
  backend: string;
  /** The status phase; 'launching' (spec, no status yet), 'unknown' (neither), 'invalid' (a record refused). */
  phase: string;
  /** The watcher's pid, and whether it is provably still that process. */
  watcherPid: number | null;
  /** True while the watcher runs (proven by its start time, not by the pid alone). */
  watcherAlive: boolean;
  /** A backstop (post-stop, gc, a failed launch's launcher) that began finishing the instance is still at work. */
  finisherAlive: boolean;
  /** The server's pid (null before it started). */
  serverPid: number | null;
  /** True while the server runs. */
  serverAlive: boolean;
  /** The pid the instance lives with (null with no parent). */
  parentPid: number | null;
  /** null when the instance has no parent (--parent none). */
  parentAlive: boolean | null;
  /** The data dir (null without a spec). */
  dataDir: string | null;
  /** Whether the data dir is on RAM or disk, and why (null for older records). */
  dataOn: Placement | null;
  /** The server run: engine, exact version, binary and where it was found (null for the command driver, or when
   *  the record's `server` has the wrong shape). */
  server: ServerInfo | null;
  /** How long ago it started (or its dir was last changed, before it started), in ms. */
  ageMs: number;
  /** What holds the instance's processes (its cgroup or unit), or why nothing does; null while unknown. */
  containment: Containment | null;
  /** The failure the watcher recorded, or why a record was refused; null when none. */
  error: string | null;
  /** Why spec.json or status.json was refused (present but invalid, or not belonging where it was found). */
  problem: string | null;
}

// Describe one instance dir; null when the id has no dir (or is no id: "../x" would leave the state root).
export function inspectInstance(stateRoot: string, id: string): InstanceView | null {
  if (!ID_PATTERN.test(id)) return null;
  const paths = getInstancePaths(stateRoot, id);
  let ageMs: number;
  try {
    ageMs = Date.now() - statSync(paths.dir).mtimeMs;
  } catch {
    return null;
  }
  const specReading = readSpecAt(stateRoot, id);
  const statusReading = readStatusRecord(paths.status);
  const spec = specReading.ok ? specReading.value : null;
  let status = statusReading.ok ? statusReading.value : null;
  let problem = !specReading.ok && !specReading.missing ? specReading.reason : null;
  if (!problem && !statusReading.ok && !statusReading.missing) problem = statusReading.reason;
  if (!problem && status && status.id !== id)
    problem = `${paths.status}: status field "id": ${status.id} is not ${id}`;
  if (problem) status = null;
  const record = spec ? readLaunchRecord(spec) : null;
  const serverPid = status?.serverPid ?? null;
  const watcher = status ? readWatcherRef(status) : null;
  const started = status?.times.starting ? Date.parse(status.times.starting) : Number.NaN;
  return {
    id,
    stateDir: paths.dir,
    spec,
    status,
    driver: spec?.driver ?? '?',
    backend: spec?.backend ?? '?',
    phase: problem ? 'invalid' : (status?.phase ?? (spec ? 'launching' : 'unknown')),
    watcherPid: status?.watcherPid ?? null,
    watcherAlive: watcher ? isProvenAlive(watcher) : false,
    finisherAlive: status?.finishedBy ? isProvenAlive(status.finishedBy) : false,
    serverPid,
    serverAlive: serverPid ? isProvenAlive({ pid: serverPid, startTime: status?.serverStartTime }) : false,
    parentPid: spec?.parent?.pid ?? null,
    parentAlive: spec?.parent ? isProcessAlive(spec.parent) : null,
    dataDir: spec?.dataDir ?? null,
    dataOn: record?.dataOn ?? null,
    server: record?.server ?? null,
    ageMs: Number.isNaN(started) ? ageMs : Date.now() - started,
    containment: describeContainment(spec, status),
    error: problem ?? status?.error ?? null,
    problem,
  };
}

// Every instance under the state root, sorted by id.
export function listInstances(stateRoot: string): InstanceView[] {
  let ids: string[];
  try {
    ids = readdirSync(stateRoot, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
  return ids
    .sort()
    .map((id) => inspectInstance(stateRoot, id))
    .filter((v): v is InstanceView => v !== null);
}
