// The launcher's record of an instance, spec.json's `info` (the watcher ignores it): written from one typed value at
// launch, and read back by one validator, field by field, as untrusted input, for every reader (list, status, env,
// db, the handoff's servers).
import type { Connection } from '../drivers/types.js';
import { QuickdbError } from '../errors.js';
import type { Spec } from '../state/records/spec.js';
import type { Placement } from './placement.js';
import { type Checked, checkRecordedConnection } from './record-connection.js';
import { asRecord, readServerInfo, type ServerInfo } from './server-info.js';

export type { Checked };

/** The most databases a warm pool keeps ahead. */
export const POOL_MAX = 32;

/** The longest reason for a placement shown (a longer one is cut). */
const WHY_MAX = 300;

/** What the launcher knows of an instance once its driver planned it (Instance takes it as is, never read back). */
export interface LaunchRecord {
  /** The url and env a client uses, as the driver built them. */
  connection: Connection;
  /** Whether the data dir is on RAM or disk, and why. */
  dataOn: Placement;
  /** Database drivers: the server run (null for a command). */
  server: ServerInfo | null;
  /** The warm pool's size (0: none). */
  pool: number;
}

/** A launch record read back: the connection and pool size checked (a reader refuses a wrong one, saying why),
 *  the placement and server null when absent or wrong (older records have none). */
export interface LaunchRecordReading {
  connection: Checked<Connection>;
  dataOn: Placement | null;
  server: ServerInfo | null;
  pool: Checked<number>;
}

// The record as spec.json's `info` holds it (the pool only when there is one, as before).
export function formatLaunchRecord(record: LaunchRecord): Record<string, unknown> {
  return {
    ...(record.server ? { server: record.server } : {}),
    connection: record.connection,
    dataOn: record.dataOn,
    ...(record.pool > 0 ? { pool: record.pool } : {}),
  };
}

// A placement read back: on RAM or disk, with a reason (cut to WHY_MAX; a reader escapes what it shows), else null.
function readPlacement(value: unknown): Placement | null {
  const v = asRecord(value);
  if (!v || (v.on !== 'ram' && v.on !== 'disk') || typeof v.why !== 'string') return null;
  return { on: v.on, why: v.why.slice(0, WHY_MAX) };
}

// The pool size read back (0 when none): a whole number from 0 to POOL_MAX.
function readPoolSize(value: unknown): Checked<number> {
  const size = value ?? 0;
  if (typeof size === 'number' && Number.isInteger(size) && size >= 0 && size <= POOL_MAX)
    return { ok: true, value: size };
  const problem = `has info.pool ${JSON.stringify(size)}; expected a whole number from 0 to ${POOL_MAX}`;
  return { ok: false, problem };
}

/** Each spec's reading, so that a record is checked once however many readers look at it. */
const READINGS = new WeakMap<Spec, LaunchRecordReading>();

/** The launch record of a spec read back from disk, every field checked (once per spec read). */
export function readLaunchRecord(spec: Spec): LaunchRecordReading {
  const known = READINGS.get(spec);
  if (known) return known;
  const info = asRecord(spec.info) ?? {};
  const reading: LaunchRecordReading = {
    connection: checkRecordedConnection(spec, info.connection),
    dataOn: readPlacement(info.dataOn),
    server: readServerInfo(info.server),
    pool: readPoolSize(info.pool),
  };
  READINGS.set(spec, reading);
  return reading;
}

/** A checked field's value, or a QuickdbError refusing to `action` instance `id` for what its spec.json says. */
export function requireRecorded<T>(checked: Checked<T>, id: string, action = 'open the databases of'): T {
  if (checked.ok) return checked.value;
  throw new QuickdbError(`refusing to ${action} ${id}: its spec.json ${checked.problem}`);
}
