// spec.json: everything the watcher needs (its shape; spec-validate.ts reads it back as input).
import type { SignalName } from '../process/signals.js';

export type ReadySpec =
  | { kind: 'none' }
  | { kind: 'file'; path: string }
  | { kind: 'port'; host: string; port: number }
  | { kind: 'log'; pattern: string };

export interface ServerSpec {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  uid?: number;
  gid?: number;
  stopSignal: SignalName;
  fastStopSignal: SignalName;
  /** Where the server records its SysV shared memory segment, relative to the data dir, in postmaster.pid's form
   *  (its pid on line 1, "key shmid" on line 7): the segment a killed server leaves is removed at the end. */
  shmRecord?: string;
}

export interface ParentSpec {
  pid: number;
  startTime: string | null;
  lifeline: boolean;
  /** Who the instance passes to when the parent goes while a database of it is kept (state/records/kept-note.ts). */
  heir?: { pid: number; startTime: string | null };
}

export interface Spec {
  version: 1;
  id: string;
  driver: string;
  backend: string;
  stateRoot: string;
  stateDir: string;
  dataDir: string;
  dataDirReal: string;
  cleanup: boolean;
  server: ServerSpec;
  ready: ReadySpec;
  readyTimeoutMs: number;
  stopGraceMs: number;
  fastGraceMs: number;
  pollMs: number;
  parent: ParentSpec | null;
  /** The process waiting for ready (it removes the state of a launch that failed). */
  launcher?: { pid: number; startTime: string | null } | null;
  info?: Record<string, unknown>;
}

/** How often the watcher may poll its parent's pid, in ms: the options' range, and what a record read back is held to. */
export const POLL_RANGE = { min: 10, max: 60_000 } as const;

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/** A spec that cannot be used; `field` names the offending entry. */
export class SpecError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`spec field "${field}": ${message}`);
    this.name = 'SpecError';
  }
}
