// status.json: the runner's phase, pids, times and outcome, written atomically.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ID_PATTERN } from './spec.js';

export type Phase =
  | 'prepared'
  | 'starting'
  | 'spawning'
  | 'waiting-ready'
  | 'ready'
  | 'server-exited'
  | 'stopping'
  | 'cleaning'
  | 'done'
  | 'failed';

/** 'deleting': a deletion started (ownership proven); seen only when the runner was killed during it. */
export type DataDirState = 'present' | 'deleting' | 'kept' | 'deleted' | 'refused' | 'failed';

export interface ServerExit {
  code: number | null;
  signal: string | null;
  /** true when the server ended without being asked to. */
  unexpected: boolean;
}

export interface Status {
  id: string;
  phase: Phase;
  watcherPid: number;
  watcherStartTime: string | null;
  serverPid: number | null;
  serverStartTime: string | null;
  quiet: boolean;
  stopReason: string | null;
  exit: ServerExit | null;
  error: string | null;
  dataDir: { state: DataDirState; reason?: string };
  escalations: string[];
  /** The instance's own cgroup v2 (detached backend, Linux), recorded before it is made; null or absent: none. */
  cgroup?: string | null;
  times: Partial<Record<Phase | 'stopRequested' | 'serverExited' | 'quiet', string>>;
}

export const TERMINAL_PHASES: readonly Phase[] = ['done', 'failed'];

/** Every phase a status.json may hold ('prepared': made by `generate`, never started). */
export const PHASES: readonly Phase[] = [
  'prepared',
  'starting',
  'spawning',
  'waiting-ready',
  'ready',
  'server-exited',
  'stopping',
  'cleaning',
  'done',
  'failed',
];

const DATA_DIR_STATES: readonly DataDirState[] = [
  'present',
  'deleting',
  'kept',
  'deleted',
  'refused',
  'failed',
];

type Obj = Record<string, unknown>;

// A status field that cannot be used: throws naming it.
function fail(field: string, message: string, value: unknown): never {
  throw new Error(`status field "${field}": ${message}, got ${JSON.stringify(value)}`);
}

function expectObject(v: unknown, field: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(field, 'expected an object', v);
  return v as Obj;
}

function expectPid(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 1 || v > 4_194_304)
    fail(field, 'expected a pid (a whole number above 1)', v);
  return v;
}

function expectText(v: unknown, field: string, nullable: boolean): string | null {
  if (v === null && nullable) return null;
  if (typeof v !== 'string' || v === '' || v.length > 65_536)
    fail(field, nullable ? 'expected a non-empty string or null' : 'expected a non-empty string', v);
  return v;
}

// Free text (an error, a reason): any string up to 64 KiB, or null.
function expectNote(v: unknown, field: string): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string' || v.length > 65_536) fail(field, 'expected a string or null', v);
  return v;
}

function validateExit(v: unknown): ServerExit | null {
  if (v === null || v === undefined) return null;
  const o = expectObject(v, 'exit');
  if (o.code !== null && (typeof o.code !== 'number' || !Number.isInteger(o.code)))
    fail('exit.code', 'expected a whole number or null', o.code);
  if (typeof o.unexpected !== 'boolean') fail('exit.unexpected', 'expected true or false', o.unexpected);
  const signal = expectNote(o.signal, 'exit.signal');
  return { code: o.code as number | null, signal, unexpected: o.unexpected };
}

function validateDataDir(v: unknown): Status['dataDir'] {
  const o = expectObject(v, 'dataDir');
  if (!DATA_DIR_STATES.includes(o.state as DataDirState))
    fail('dataDir.state', `expected one of ${DATA_DIR_STATES.join(', ')}`, o.state);
  if (o.reason === undefined) return { state: o.state as DataDirState };
  return { state: o.state as DataDirState, reason: expectNote(o.reason, 'dataDir.reason') ?? '' };
}

// Check a parsed status.json like input (types, pid ranges, known phase); throws naming the field.
export function validateStatus(raw: unknown): Status {
  const o = expectObject(raw, '(root)');
  if (typeof o.id !== 'string' || !ID_PATTERN.test(o.id)) fail('id', 'expected an instance id', o.id);
  if (!PHASES.includes(o.phase as Phase)) fail('phase', `expected one of ${PHASES.join(', ')}`, o.phase);
  const serverPid = o.serverPid === null ? null : expectPid(o.serverPid, 'serverPid');
  if (typeof o.quiet !== 'boolean') fail('quiet', 'expected true or false', o.quiet);
  const escalations = o.escalations;
  if (!Array.isArray(escalations) || !escalations.every((e) => typeof e === 'string'))
    fail('escalations', 'expected a list of strings', escalations);
  const times = expectObject(o.times, 'times');
  for (const [key, value] of Object.entries(times))
    if (typeof value !== 'string') fail(`times.${key}`, 'expected a date string', value);
  return {
    ...o,
    id: o.id,
    phase: o.phase as Phase,
    watcherPid: expectPid(o.watcherPid, 'watcherPid'),
    watcherStartTime: expectText(o.watcherStartTime ?? null, 'watcherStartTime', true),
    serverPid,
    serverStartTime: expectText(o.serverStartTime ?? null, 'serverStartTime', true),
    quiet: o.quiet,
    stopReason: expectNote(o.stopReason, 'stopReason'),
    exit: validateExit(o.exit),
    error: expectNote(o.error, 'error'),
    dataDir: validateDataDir(o.dataDir),
    escalations: escalations as string[],
    cgroup: expectText(o.cgroup ?? null, 'cgroup', true),
    times: times as Status['times'],
  };
}

// A status at its first phase, before anything has happened (the runner's start, or a prepared instance).
export function createStatus(id: string, phase: Phase, watcherStartTime: string | null): Status {
  return {
    id,
    phase,
    watcherPid: process.pid,
    watcherStartTime,
    serverPid: null,
    serverStartTime: null,
    quiet: false,
    stopReason: null,
    exit: null,
    error: null,
    dataDir: { state: 'present' },
    escalations: [],
    times: { [phase]: new Date().toISOString() },
  };
}

/** A record read back from disk: its value, or why it cannot be used (missing: no file at all). */
export type RecordReading<T> = { ok: true; value: T } | { ok: false; missing: boolean; reason: string };

// Read a record file and hand its parsed JSON to `validate`; says why when either fails.
export function readRecord<T>(path: string, validate: (raw: unknown) => T): RecordReading<T> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, missing, reason: `cannot read ${path}: ${(cause as Error).message}` };
  }
  try {
    return { ok: true, value: validate(JSON.parse(text)) };
  } catch (cause) {
    return { ok: false, missing: false, reason: `${path}: ${(cause as Error).message}` };
  }
}

// Write status.json via a temp file and rename, so readers never see half a file.
export function writeStatusFile(path: string, status: Status): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(status, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/** A status.json that is missing, unreadable or invalid: `reason` says which (missing: no file at all). */
export type StatusReading = RecordReading<Status>;

// Read and validate status.json, saying why it cannot be used.
export function readStatusRecord(path: string): StatusReading {
  return readRecord(path, validateStatus);
}

// Read status.json; null when missing, unreadable or invalid (readStatusRecord says why).
export function readStatusFile(path: string): Status | null {
  const reading = readStatusRecord(path);
  return reading.ok ? reading.value : null;
}
