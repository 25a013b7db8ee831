// The instances under a state root, as `list`, `status` and `gc` see them: spec, status and what is still alive.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { getInstancePaths } from '../state/paths.js';
import { isProcessAlive } from '../state/procstat.js';
import { type Spec, validateSpec } from '../state/spec.js';
import { readStatusFile, type Status } from '../state/status.js';

export interface InstanceView {
  id: string;
  stateDir: string;
  spec: Spec | null;
  status: Status | null;
  driver: string;
  backend: string;
  phase: string;
  watcherPid: number | null;
  watcherAlive: boolean;
  serverPid: number | null;
  serverAlive: boolean;
  parentPid: number | null;
  /** null when the instance has no parent (--parent none). */
  parentAlive: boolean | null;
  dataDir: string | null;
  ageMs: number;
  error: string | null;
}

function readSpec(path: string): Spec | null {
  try {
    return validateSpec(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return null;
  }
}

// Describe one instance dir; null when the id has no dir.
export function inspectInstance(stateRoot: string, id: string): InstanceView | null {
  const paths = getInstancePaths(stateRoot, id);
  let ageMs: number;
  try {
    ageMs = Date.now() - statSync(paths.dir).mtimeMs;
  } catch {
    return null;
  }
  const spec = readSpec(paths.spec);
  const status = readStatusFile(paths.status);
  const serverPid = status?.serverPid ?? null;
  const started = status?.times.starting ? Date.parse(status.times.starting) : Number.NaN;
  return {
    id,
    stateDir: paths.dir,
    spec,
    status,
    driver: spec?.driver ?? '?',
    backend: spec?.backend ?? '?',
    phase: status?.phase ?? (spec ? 'launching' : 'unknown'),
    watcherPid: status?.runnerPid ?? null,
    watcherAlive: status
      ? isProcessAlive({ pid: status.runnerPid, startTime: status.runnerStartTime })
      : false,
    serverPid,
    serverAlive: serverPid
      ? isProcessAlive({ pid: serverPid, startTime: status?.serverStartTime ?? null })
      : false,
    parentPid: spec?.parent?.pid ?? null,
    parentAlive: spec?.parent ? isProcessAlive(spec.parent) : null,
    dataDir: spec?.dataDir ?? null,
    ageMs: Number.isNaN(started) ? ageMs : Date.now() - started,
    error: status?.error ?? null,
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
