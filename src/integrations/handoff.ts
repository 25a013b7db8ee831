// The handoff from a test runner's main process to its workers: which servers, under which state root, read back in
// each worker as untrusted input (it travels through the environment).
import { isAbsolute } from 'node:path';
import { ID_PATTERN } from '../api/names.js';
import { QuickdbError } from '../errors.js';

/** The environment variable the runner's main process hands its workers the servers in (JSON). */
export const HANDOFF_ENV = 'QUICKDB_WATCHER_SERVERS';

/** One named group of servers in the handoff: the main one, or one of `also`. */
export interface ServerGroup {
  /** The state root the servers live under. */
  stateRoot: string;
  /** The servers' instance ids: one (shared), or one per worker (worker N uses ids[N - 1]). */
  ids: string[];
  /** True when each worker has its own server. */
  perWorker: boolean;
}

/** What the runner's main process hands its workers (JSON in env QUICKDB_WATCHER_SERVERS, and vitest's provide()). */
export interface ServersHandoff extends ServerGroup {
  /** The extra servers started beside the main one (the `also` option), by name. */
  also?: Record<string, ServerGroup>;
}

/** The most servers a handoff may name (a per-worker run of this many workers is already far beyond a machine). */
const MAX_IDS = 1024;
/** The most extra server groups (`also`) a run may start. */
export const MAX_ALSO = 16;
/** What an extra server's name may be: a letter, then letters, digits, `_` or `-` (it ends up in instance ids). */
export const ALSO_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,23}$/;
const KEYS = ['stateRoot', 'ids', 'perWorker'];
// A refusal of the handoff, naming what a worker needs.
function refuseHandoff(why: string, cause?: unknown): QuickdbError {
  return new QuickdbError(
    `quickdb-watcher: this test worker found no usable servers: ${why}. Add quickdb-watcher's globalSetup to the ` +
      "runner's config (vitest: globalSetup: ['quickdb-watcher/vitest/setup']; jest: globalSetup and " +
      "globalTeardown from 'quickdb-watcher/jest'), so its main process starts the servers and hands them over " +
      `in ${HANDOFF_ENV}`,
    cause === undefined ? undefined : { cause },
  );
}

// Parse the JSON text of a handoff, or take an object (vitest's inject) as it is.
function parseHandoff(raw: unknown): unknown {
  if (raw === undefined || raw === null || raw === '') throw refuseHandoff(`${HANDOFF_ENV} is not set`);
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch (cause) {
    throw refuseHandoff(`${HANDOFF_ENV} is not JSON`, cause);
  }
}

// Read one group (`label`: "" for the main one, "also.NAME" for an extra); `keys`: those it may hold.
function readGroup(value: unknown, label: string, keys: string[]): ServerGroup {
  const its = label === '' ? 'its ' : `its ${label}.`;
  const whole = label === '' ? HANDOFF_ENV : `its ${label}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw refuseHandoff(`${whole} is not an object`);
  const record = value as Record<string, unknown>;
  const extra = Object.keys(record).find((key) => !keys.includes(key));
  if (extra !== undefined) throw refuseHandoff(`${whole} names an unknown key ${JSON.stringify(extra)}`);
  const { stateRoot, ids, perWorker } = record;
  if (typeof stateRoot !== 'string' || !isAbsolute(stateRoot) || stateRoot.includes('\0'))
    throw refuseHandoff(`${its}stateRoot ${JSON.stringify(stateRoot)} is not an absolute path`);
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_IDS)
    throw refuseHandoff(`${its}ids are not a list of 1 to ${MAX_IDS} instance ids`);
  for (const id of ids) {
    if (typeof id !== 'string' || !ID_PATTERN.test(id))
      throw refuseHandoff(`${its}ids hold ${JSON.stringify(id)}, which is not an instance id`);
  }
  if (typeof perWorker !== 'boolean') throw refuseHandoff(`${its}perWorker is not true or false`);
  if (!perWorker && ids.length !== 1)
    throw refuseHandoff(`${its}ids: a shared server is named by exactly one id`);
  return { stateRoot, ids: [...ids] as string[], perWorker };
}

// Read the `also` groups: an object of at most MAX_ALSO groups, each named as ALSO_NAME allows.
function readAlso(value: unknown): Record<string, ServerGroup> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw refuseHandoff('its also is not an object');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_ALSO) throw refuseHandoff(`its also names more than ${MAX_ALSO} groups`);
  return Object.fromEntries(
    entries.map(([name, group]) => {
      if (!ALSO_NAME.test(name))
        throw refuseHandoff(`its also names ${JSON.stringify(name)}, not a server name`);
      return [name, readGroup(group, `also.${name}`, KEYS)];
    }),
  );
}

/** Read the handoff in a worker (from QUICKDB_WATCHER_SERVERS unless given): a clear QuickdbError naming the missing
 *  globalSetup when it is absent, and a refusal when it is malformed (ids must be instance ids, the roots absolute). */
export function readHandoff(raw: unknown = process.env[HANDOFF_ENV]): ServersHandoff {
  const value = parseHandoff(raw);
  const main = readGroup(value, '', [...KEYS, 'also']);
  const also = (value as { also?: unknown }).also;
  return also === undefined ? main : { ...main, also: readAlso(also) };
}
