// The driver interface: what each engine reads from the options, and tells the launcher about its server.
import type { SignalName } from '../state/process/signals.js';
import type { ReadySpec, ServerSpec } from '../state/records/spec.js';
import type { AccessOptions } from './access.js';
import type { PgVersionRequest } from './postgresql/version-request.js';
import type { Settings } from './settings.js';

/** Settings only the database drivers read (the launcher keeps them grouped, apart from its own). */
export interface EngineOptions {
  /** The loopback TCP port; 0 or undefined picks a free one (the command driver: none). */
  port: number | undefined;
  /** Who connects: user, password, database, and whether the port wants the password. */
  access: AccessOptions;
  /** TLS on the loopback port, with a certificate made for the instance. */
  tls: boolean;
  /** PostgreSQL: extra pg_hba.conf lines, before ours (checked by the driver). */
  pgHba: string[];
  /** Internal: false for a migration build, which listens on its private socket only and so never holds a
   *  password a migrated snapshot could keep (PostgreSQL). */
  tcp?: boolean;
  /** PostgreSQL: the bin dir to try first. */
  pgBin: string | undefined;
  /** PostgreSQL: the version asked for (pgVersion or QUICKDB_WATCHER_PG_VERSION), found installed or fetched. */
  pgVersion: PgVersionRequest | undefined;
  /** MariaDB/MySQL: the bin dir holding the server, to try first. */
  mysqlBin: string | undefined;
  /** Redis: the bin dir holding redis-server, to try first. */
  redisBin: string | undefined;
  /** Clone the data dir from a cached snapshot; false runs a fresh init. */
  snapshot: boolean;
  /** Server settings, mapped to the engine's own form (checked: none opens or changes a listener or its auth). */
  settings: Settings;
  /** The hash of the migrations a fresh data dir must hold (only their migrated snapshot will do). */
  migration?: string;
}

/** The slice of the instance options a driver reads; the launcher builds it from its normalized options. */
export interface DriverOptions extends EngineOptions {
  /** For `command`: the server argv. For databases: extra server arguments. */
  args: string[];
  /** Extra environment for the server. */
  env: Record<string, string>;
  stopSignal: SignalName | undefined;
  fastStopSignal: SignalName | undefined;
  /** For `command`: the readiness rule (at most one; ports already checked). */
  ready: { file?: string; port?: number; log?: string };
}

/** Where pre-cloned snapshot spares are kept, and how many the launches ask for. */
export interface SpareRequest {
  /** Our private root on the data dir's filesystem (the spares are in its `.spares`). */
  root: string;
  /** Spares to keep ahead per snapshot, 1 to SPARES_MAX. */
  count: number;
  /** The most MB the root's spares may hold (QUICKDB_WATCHER_SPARES_MB), or null for a quarter of its filesystem. */
  budgetMb: number | null;
}

export interface DriverContext {
  id: string;
  options: DriverOptions;
  /** The state root the instance dir sits in (drivers open traversal through it for a service user). */
  stateRoot: string;
  /** Our own private dirs the data dir sits in (the state root, or the RAM root): traversal may be opened there. */
  ownRoots: string[];
  /** The snapshot spares a launch takes from and refills (none for a given --data-dir, or `spares: 0`). */
  spares?: SpareRequest;
  dataDir: string;
  stateDir: string;
  /** True when the data dir was just created (or adopted empty) and needs initialising. */
  fresh: boolean;
}

export interface Connection {
  url?: string;
  env: Record<string, string>;
}

export interface DriverPlan {
  server: ServerSpec;
  ready: ReadySpec;
  connection: Connection;
  info?: Record<string, unknown>;
  /** Background work for once the instance is ready (refilling the snapshot spare). */
  afterReady?: () => void;
}

export interface Driver {
  name: string;
  // Validate driver-specific options before anything is created.
  validate(options: DriverOptions): void;
  // Prepare the data dir and say how to run and reach the server.
  plan(context: DriverContext): Promise<DriverPlan>;
}
