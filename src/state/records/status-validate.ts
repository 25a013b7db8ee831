// Reading status.json back as untrusted input: every field checked, naming the one that is wrong.
import { ID_PATTERN } from './spec.js';
import {
  DATA_DIR_STATES,
  type DataDirState,
  type FinishedBy,
  type Finisher,
  PHASES,
  type Phase,
  type ServerExit,
  type Status,
} from './status-shape.js';

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

const FINISHERS: readonly Finisher[] = ['watcher', 'post-stop', 'gc', 'launcher'];

function validateFinishedBy(v: unknown): FinishedBy | null {
  if (v === null || v === undefined) return null;
  const o = expectObject(v, 'finishedBy');
  if (!FINISHERS.includes(o.by as Finisher))
    fail('finishedBy.by', `expected one of ${FINISHERS.join(', ')}`, o.by);
  return {
    by: o.by as Finisher,
    pid: expectPid(o.pid, 'finishedBy.pid'),
    startTime: expectText(o.startTime ?? null, 'finishedBy.startTime', true),
    at: expectText(o.at, 'finishedBy.at', false) as string,
  };
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
    watcherPid: o.watcherPid === null ? null : expectPid(o.watcherPid, 'watcherPid'),
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
    cgroupProblem: expectNote(o.cgroupProblem, 'cgroupProblem'),
    finishedBy: validateFinishedBy(o.finishedBy),
    times: times as Status['times'],
  };
}
