// Instance options: the one place that applies defaults and calls each feature's validator.
import { join } from 'node:path';
import { BACKEND_CHOICES, type BackendChoice } from '../backends/types.js';
import { canMigrate, hasDatabaseAdmin } from '../drivers/admins.js';
import type { EngineOptions } from '../drivers/types.js';
import { UsageError } from '../errors.js';
import { resolveStateRoot, SOCKET_PATH_MAX } from '../state/paths.js';
import { isValidPort, PORT_RANGE_TEXT } from '../state/port.js';
import { readStartTime } from '../state/procstat.js';
import { parseSignal, type SignalName } from '../state/signals.js';
import { ID_PATTERN } from '../state/spec.js';
import { type MigrateOption, type Migration, normalizeMigration } from './migrate/options.js';
import { type DataOn, type DataOnChoice, validateDataOn } from './placement.js';

export interface StartOptions {
  /** Engine: "command" (any argv), or a database driver. Default "postgresql". */
  driver?: string;
  /** For `command`: the server argv. For databases: extra server arguments. */
  args?: string[];
  id?: string;
  dataDir?: string;
  /** Where a default data dir goes: "auto" (RAM when it has room), "ram" or "disk". Env: QUICKDB_WATCHER_DATA_ON. */
  dataOn?: DataOn;
  /** Delete the data dir on stop (default true). */
  cleanup?: boolean;
  /** Bind the instance's life to this pid, or "none". Library default: this process, with a lifeline. */
  parent?: number | 'none';
  /** Hold a lifeline socket (default: true when the parent is this process). */
  lifeline?: boolean;
  /** For tests: record this start time for the parent instead of reading it (fakes PID reuse). */
  parentStartTime?: string;
  backend?: BackendChoice;
  stopGraceMs?: number;
  fastGraceMs?: number;
  pollMs?: number;
  stopSignal?: string;
  fastStopSignal?: string;
  readyFile?: string;
  readyPort?: number;
  readyLog?: string;
  readyTimeoutMs?: number;
  env?: Record<string, string>;
  stateRoot?: string;
  /** Database drivers: TCP port; 0 picks a free one; unset means the unix socket only. */
  port?: number;
  /** PostgreSQL: the bin dir to use (holding initdb and postgres), before PATH and the usual places. */
  pgBin?: string;
  /** Database drivers: clone the data dir from a cached snapshot (default true); false runs a fresh init. */
  snapshot?: boolean;
  /** PostgreSQL, MariaDB: migrations run once per content (a dir of .sql files, a command, or a function) and cached
   *  as a migrated snapshot; per-test databases are cloned from the migrated template. */
  migrate?: MigrateOption;
  /** Files or dirs (inside the project) whose contents join a command's or function's cache key. */
  migrateHash?: string | string[];
  /** A function migration's cache key: change it when the migrations change. */
  migrateKey?: string;
  /** Per-test databases kept created ahead, so createDatabase() need not wait for a clone (0 to 32; default 0). */
  pool?: number;
}

/** The most databases a warm pool keeps ahead. */
export const POOL_MAX = 32;

export interface NormalizedOptions {
  driver: string;
  args: string[];
  id: string | undefined;
  dataDir: string | undefined;
  dataOn: DataOnChoice;
  cleanup: boolean;
  parent: { pid: number; startTime?: string; lifeline: boolean } | null;
  backend: BackendChoice;
  stopGraceMs: number;
  fastGraceMs: number;
  pollMs: number;
  stopSignal: SignalName | undefined;
  fastStopSignal: SignalName | undefined;
  ready: { file?: string; port?: number; log?: string; timeoutMs: number };
  env: Record<string, string>;
  stateRoot: string;
  /** What only the database drivers read (port, pgBin, snapshot), kept apart from the watcher's concerns. */
  engine: EngineOptions;
  migration: Migration | null;
  pool: number;
}

/** Check a TCP port option (by default 0 means pick a free one); undefined stays undefined. */
export function validatePort(
  option: string,
  value: unknown,
  opts: { allowZero?: boolean } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const allowZero = opts.allowZero ?? true;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (!isValidPort(n, allowZero))
    throw new UsageError(
      option,
      value,
      allowZero ? `${PORT_RANGE_TEXT}, or 0 to pick a free one` : PORT_RANGE_TEXT,
    );
  return n;
}

// Check a duration option in milliseconds.
export function validateMs(option: string, value: unknown, max = 86_400_000, min = 0): number {
  // Digits only: "1e3", "0x10" or " 5" are typos, not durations.
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(option, value, `expected whole milliseconds from ${min} to ${max}`);
  }
  return n;
}

// Check a whole-number option from 0 to max.
export function validateCount(option: string, value: unknown, max: number): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max)
    throw new UsageError(option, value, `expected a whole number from 0 to ${max}`);
  return n;
}

// Check a signal option; undefined stays undefined (the driver's default applies).
function validateSignalOption(option: string, value: unknown): SignalName | undefined {
  if (value === undefined) return undefined;
  const sig = parseSignal(value);
  if (!sig)
    throw new UsageError(option, value, 'expected a signal name such as SIGTERM, TERM, SIGINT or KILL');
  return sig;
}

// Check an instance id.
function validateId(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw new UsageError(
      '--id',
      value,
      'expected 1-63 letters, digits, "_", "." or "-", starting with a letter or digit',
    );
  }
  return value;
}

function normalizeParent(options: StartOptions): NormalizedOptions['parent'] {
  const p = options.parent ?? process.pid;
  if (p === 'none') return null;
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 1) {
    throw new UsageError('--parent', p, 'expected a process id (a whole number above 0) or "none"');
  }
  // A parent that is already gone would stop the instance at once: bad input, said before anything starts.
  if (p !== process.pid && readStartTime(p) === null) {
    throw new UsageError('--parent', p, 'no such process; expected the pid of a running process, or "none"');
  }
  const lifeline = options.lifeline ?? p === process.pid;
  return { pid: p, lifeline, ...(options.parentStartTime ? { startTime: options.parentStartTime } : {}) };
}

function normalizeBackend(value: unknown): BackendChoice {
  const v = value ?? 'auto';
  if (!BACKEND_CHOICES.includes(v as BackendChoice))
    throw new UsageError('--backend', value, `expected one of: ${BACKEND_CHOICES.join(', ')}`);
  return v as BackendChoice;
}

// Refuse a state root whose lifeline socket path would be over the unix limit (the watcher could not listen on it).
function checkLifelinePath(options: NormalizedOptions): void {
  if (!options.parent?.lifeline) return;
  // A generated id is "<driver, up to 12 letters>-<8 hex>" (generateId).
  const id = options.id ?? `${options.driver.replace(/[^A-Za-z0-9]/g, '').slice(0, 12) || 'db'}-00000000`;
  const path = join(options.stateRoot, id, 'lifeline.sock');
  const bytes = Buffer.byteLength(path);
  if (bytes <= SOCKET_PATH_MAX) return;
  throw new UsageError(
    'QUICKDB_WATCHER_STATE',
    options.stateRoot,
    `the lifeline socket ${path} would be ${bytes} bytes, over the ${SOCKET_PATH_MAX}-byte limit of unix socket ` +
      `paths; use a shorter state dir (e.g. QUICKDB_WATCHER_STATE=/tmp/qdw-$USER)${options.id ? ' or a shorter --id' : ''}`,
  );
}

// Apply defaults and validate every option; throws UsageError naming the bad one.
export function normalizeOptions(options: StartOptions = {}): NormalizedOptions {
  const normalized = applyDefaults(options);
  checkLifelinePath(normalized);
  if (normalized.migration && !canMigrate(normalized.driver))
    throw new UsageError(
      '--migrate',
      options.migrate,
      `${normalized.driver} runs no migrations; postgresql, mariadb and mysql do`,
    );
  if (normalized.pool > 0 && !hasDatabaseAdmin(normalized.driver))
    throw new UsageError(
      '--pool',
      options.pool,
      `${normalized.driver} has no per-test databases; postgresql, mariadb, mysql and redis do`,
    );
  if (normalized.dataDir !== undefined && normalized.dataOn.from === '--data-on')
    throw new UsageError(
      '--data-on',
      options.dataOn,
      'cannot be combined with --data-dir, which says where already',
    );
  return normalized;
}

function applyDefaults(options: StartOptions): NormalizedOptions {
  const ready = { timeoutMs: validateMs('--ready-timeout', options.readyTimeoutMs ?? 30_000) };
  return {
    driver: options.driver ?? 'postgresql',
    args: [...(options.args ?? [])],
    id: validateId(options.id),
    dataDir: options.dataDir,
    dataOn: validateDataOn(options.dataOn),
    cleanup: options.cleanup ?? true,
    parent: normalizeParent(options),
    backend: normalizeBackend(options.backend),
    stopGraceMs: validateMs('--stop-grace', options.stopGraceMs ?? 10_000),
    fastGraceMs: validateMs('--fast-grace', options.fastGraceMs ?? 2_000),
    pollMs: validateMs('--poll', options.pollMs ?? 50, 60_000, 10),
    stopSignal: validateSignalOption('--stop-signal', options.stopSignal),
    fastStopSignal: validateSignalOption('--fast-stop-signal', options.fastStopSignal),
    ready: {
      ...ready,
      ...(options.readyFile !== undefined ? { file: options.readyFile } : {}),
      ...(options.readyPort !== undefined
        ? { port: validatePort('--ready-port', options.readyPort, { allowZero: false }) }
        : {}),
      ...(options.readyLog !== undefined ? { log: options.readyLog } : {}),
    },
    env: { ...(options.env ?? {}) },
    stateRoot: options.stateRoot ?? resolveStateRoot(),
    engine: {
      port: validatePort('--port', options.port),
      pgBin: options.pgBin,
      snapshot: options.snapshot ?? true,
    },
    migration: normalizeMigration(options),
    pool: validateCount('--pool', options.pool ?? 0, POOL_MAX),
  };
}
