// Instance options: the one place that applies defaults and calls each feature's validator.
import { resolve } from 'node:path';
import { BACKEND_CHOICES, type BackendChoice } from '../../backends/types.js';
import { normalizeAccess } from '../../drivers/access.js';
import {
  canMigrate,
  describeMigratingEngines,
  describePerTestEngines,
  describeTakers,
  describeTakerTitles,
  hasPerTestDatabases,
  takesOption,
} from '../../drivers/capabilities.js';
import { refuseForeignBinDirs } from '../../drivers/foreign-bin-dirs.js';
import { validatePgVersion } from '../../drivers/postgresql/version-request.js';
import { DEFAULT_DRIVER, type DriverName } from '../../drivers/registry.js';
import { normalizeSettings } from '../../drivers/settings.js';
import { SPARES_MAX } from '../../drivers/snapshots/spare-names.js';
import type { EngineOptions } from '../../drivers/types.js';
import { UsageError } from '../../errors.js';
import { captureParentRef, type ParentRef } from '../../parent/parent-ref.js';
import { resolveStateRoot } from '../../state/files/trusted-roots.js';
import { parseSignal, type SignalName } from '../../state/process/signals.js';
import { getInstancePaths, SOCKET_PATH_MAX } from '../../state/records/paths.js';
import { isValidPort, PORT_RANGE_TEXT } from '../../state/records/port.js';
import { ID_PATTERN, POLL_RANGE } from '../../state/records/spec.js';
import type { ExportOptions } from '../exports/apply.js';
import { normalizeExports } from '../exports/templates.js';
import { type DataOnChoice, validateDataOn } from '../placement.js';
import { POOL_MAX } from '../record.js';
import { validateDriverName } from './driver-name.js';
import { checkOptionKeys, INTERNAL_OPTION_KEYS, START_OPTION_KEYS } from './keys.js';
import { type Migration, normalizeMigration } from './migrate.js';
import { readSpareBudget } from './spares.js';
import type { InternalStartOptions, StartOptions } from './start-options.js';

export type { InternalStartOptions, StartOptions };
/** The most databases a warm pool keeps ahead (the launch record's bound; the CLI's --pool check takes it here). */
export { POOL_MAX };

export interface NormalizedOptions {
  /** As given, checked against the driver registry. */
  driver: DriverName;
  args: string[];
  id: string | undefined;
  dataDir: string | undefined;
  dataOn: DataOnChoice;
  cleanup: boolean;
  /** The parent and its heir, each identified once here (prepare.ts records these very values). */
  parent: (ParentRef & { lifeline: boolean; heir?: ParentRef }) | null;
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
  /** Snapshot spares kept ahead per snapshot (0: none taken nor made), and the MB budget of their refills. */
  spares: { count: number; budgetMb: number | null };
  /** The connection under the suite's own names, and the file it is written to. */
  exports: ExportOptions;
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
      'id',
      value,
      'expected 1-63 letters, digits, "_", "." or "-", starting with a letter or digit',
    );
  }
  return value;
}

// Check a yes/no option (default no).
export function validateFlag(option: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new UsageError(option, value, 'expected true or false');
  return value;
}

// Check a list-of-lines option: strings without line breaks (one string is a list of one).
function validateLines(option: string, value: unknown): string[] {
  if (value === undefined) return [];
  const lines = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(lines) || !lines.every((l) => typeof l === 'string' && !/[\n\r\0]/.test(l)))
    throw new UsageError(option, value, 'expected a list of lines (strings without line breaks)');
  return [...lines];
}

// Check the env file option: a path, made absolute against the current dir.
function validateEnvFile(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '' || value.endsWith('/'))
    throw new UsageError(
      'envFile',
      value,
      'expected the path of a file to write (.json for JSON, else dotenv lines)',
    );
  return resolve(value);
}

function normalizeParent(options: InternalStartOptions): NormalizedOptions['parent'] {
  const p = options.parent ?? process.pid;
  if (p === 'none') return null;
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 1) {
    throw new UsageError('parent', p, 'expected a process id (a whole number above 0) or "none"');
  }
  // Identified once: the start time read here (or given) is the one spec.json records, with no second read.
  const seen = captureParentRef(p);
  // A parent that is already gone would stop the instance at once: bad input, said before anything starts.
  if (p !== process.pid && seen.startTime === null) {
    throw new UsageError('parent', p, 'no such process; expected the pid of a running process, or "none"');
  }
  const parent = options.parentStartTime ? { ...seen, startTime: options.parentStartTime } : seen;
  const lifeline = options.lifeline ?? p === process.pid;
  const heir = normalizeHeir(options.heir);
  return { ...parent, lifeline, ...(heir === undefined ? {} : { heir }) };
}

// Check `heir`: a running process (not init, not this one: it is the parent's successor).
function normalizeHeir(value: unknown): ParentRef | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 2 || value === process.pid)
    throw new UsageError(
      'heir',
      value,
      'expected the pid of another running process (a whole number above 1)',
    );
  const heir = captureParentRef(value);
  if (heir.startTime === null)
    throw new UsageError('heir', value, 'no such process; expected the pid of a running process');
  return heir;
}

function normalizeBackend(value: unknown): BackendChoice {
  const v = value ?? 'auto';
  if (!BACKEND_CHOICES.includes(v as BackendChoice))
    throw new UsageError('backend', value, `expected one of: ${BACKEND_CHOICES.join(', ')}`);
  return v as BackendChoice;
}

// Refuse a state root whose lifeline socket path would be over the unix limit (the watcher could not listen on it).
function checkLifelinePath(options: NormalizedOptions, given: StartOptions): void {
  if (!options.parent?.lifeline) return;
  // A generated id is "<driver, up to 12 letters>-<8 hex>" (generateId).
  const id = options.id ?? `${options.driver.replace(/[^A-Za-z0-9]/g, '').slice(0, 12) || 'db'}-00000000`;
  const path = getInstancePaths(options.stateRoot, id).lifeline;
  const bytes = Buffer.byteLength(path);
  if (bytes <= SOCKET_PATH_MAX) return;
  throw new UsageError(
    given.stateRoot === undefined ? 'QUICKDB_WATCHER_STATE' : 'stateRoot',
    options.stateRoot,
    (name) =>
      `the lifeline socket ${path} would be ${bytes} bytes, over the ${SOCKET_PATH_MAX}-byte limit of unix socket ` +
      `paths; use a shorter state dir (e.g. QUICKDB_WATCHER_STATE=/tmp/qdw-$USER)${options.id ? ` or a shorter ${name('id')}` : ''}`,
  );
}

// Check the options against each other once each is valid on its own.
function checkCombinations(normalized: NormalizedOptions, options: StartOptions): void {
  checkLifelinePath(normalized, options);
  if (normalized.migration && !canMigrate(normalized.driver))
    throw new UsageError(
      'migrate',
      options.migrate,
      `${normalized.driver} runs no migrations; ${describeMigratingEngines()} do`,
    );
  if (normalized.pool > 0 && !hasPerTestDatabases(normalized.driver))
    throw new UsageError(
      'pool',
      options.pool,
      `${normalized.driver} has no per-test databases; ${describePerTestEngines()} do`,
    );
  if (normalized.engine.pgHba.length > 0 && !takesOption(normalized.driver, 'pgHba'))
    throw new UsageError(
      'pgHba',
      options.pgHba,
      `${normalized.driver} has no pg_hba.conf; ${describeTakers('pgHba')}`,
    );
  if (options.pgVersion !== undefined && !takesOption(normalized.driver, 'pgVersion'))
    throw new UsageError(
      'pgVersion',
      options.pgVersion,
      `${normalized.driver} is not ${describeTakerTitles('pgVersion')}; ${describeTakers('pgVersion', 'a version')} (the env var is ignored by others)`,
    );
  refuseForeignBinDirs(normalized.driver, options);
  if (normalized.dataDir !== undefined && normalized.dataOn.from === '--data-on')
    throw new UsageError(
      'dataOn',
      options.dataOn,
      (name) => `cannot be combined with ${name('dataDir')}, which says where already`,
    );
}

// Validate options whose keys were checked against `known`; errors name options as the library does.
// The driver is checked first: a mistyped one would make the other checks say odd things.
function normalizeKnown(options: InternalStartOptions, known: readonly string[]): NormalizedOptions {
  // (`options` may be anything a caller passed: checkOptionKeys refuses what is not an object.)
  const driver = validateDriverName((options as InternalStartOptions | null)?.driver ?? DEFAULT_DRIVER);
  checkOptionKeys(options, known);
  const normalized = applyDefaults(options, driver);
  checkCombinations(normalized, options);
  return normalized;
}

// Apply defaults and validate every option; throws UsageError naming the bad one (an unknown key too).
export function normalizeOptions(options: StartOptions = {}): NormalizedOptions {
  return normalizeKnown(options, START_OPTION_KEYS);
}

// normalizeOptions for the library's own tests, which may also give the InternalStartOptions.
export function normalizeInternalOptions(options: InternalStartOptions = {}): NormalizedOptions {
  return normalizeKnown(options, INTERNAL_OPTION_KEYS);
}

function applyDefaults(options: InternalStartOptions, driver: DriverName): NormalizedOptions {
  const ready = { timeoutMs: validateMs('readyTimeoutMs', options.readyTimeoutMs ?? 30_000) };
  return {
    driver,
    args: [...(options.args ?? [])],
    id: validateId(options.id),
    dataDir: options.dataDir,
    dataOn: validateDataOn(options.dataOn),
    cleanup: options.cleanup ?? true,
    parent: normalizeParent(options),
    backend: normalizeBackend(options.backend),
    stopGraceMs: validateMs('stopGraceMs', options.stopGraceMs ?? 10_000),
    fastGraceMs: validateMs('fastGraceMs', options.fastGraceMs ?? 2_000),
    pollMs: validateMs('pollMs', options.pollMs ?? 50, POLL_RANGE.max, POLL_RANGE.min),
    stopSignal: validateSignalOption('stopSignal', options.stopSignal),
    fastStopSignal: validateSignalOption('fastStopSignal', options.fastStopSignal),
    ready: {
      ...ready,
      ...(options.readyFile !== undefined ? { file: options.readyFile } : {}),
      ...(options.readyPort !== undefined
        ? { port: validatePort('readyPort', options.readyPort, { allowZero: false }) }
        : {}),
      ...(options.readyLog !== undefined ? { log: options.readyLog } : {}),
    },
    env: { ...(options.env ?? {}) },
    stateRoot: options.stateRoot ?? resolveStateRoot(),
    engine: {
      port: validatePort('port', options.port),
      pgBin: options.pgBin,
      // The env var is for the drivers taking pgVersion only; another given the option is refused by checkCombinations.
      pgVersion: validatePgVersion(options.pgVersion, takesOption(driver, 'pgVersion') ? process.env : {}),
      mysqlBin: options.mysqlBin,
      redisBin: options.redisBin,
      snapshot: options.snapshot ?? true,
      settings: normalizeSettings('settings', options.settings),
      access: normalizeAccess(options),
      tls: validateFlag('tls', options.tls),
      pgHba: validateLines('pgHba', options.pgHba),
    },
    migration: normalizeMigration(options),
    pool: validateCount('pool', options.pool ?? 0, POOL_MAX),
    spares: { count: validateCount('spares', options.spares ?? 1, SPARES_MAX), budgetMb: readSpareBudget() },
    exports: {
      exports: normalizeExports('exportEnv', options.exportEnv),
      envFile: validateEnvFile(options.envFile),
    },
  };
}
