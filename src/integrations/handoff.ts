// The handoff from a test runner's main process to its workers: which servers, under which state root, read back in
// each worker as untrusted input (it travels through the environment).
import { isAbsolute } from 'node:path';
import { QuickdbError } from '../errors.js';
import { ID_PATTERN } from '../state/spec.js';

/** The environment variable the runner's main process hands its workers the servers in (JSON). */
export const HANDOFF_ENV = 'QUICKDB_WATCHER_SERVERS';

/** What the runner's main process hands its workers (JSON in env QUICKDB_WATCHER_SERVERS, and vitest's provide()). */
export interface ServersHandoff {
  /** The state root the servers live under. */
  stateRoot: string;
  /** The servers' instance ids: one (shared), or one per worker (worker N uses ids[N - 1]). */
  ids: string[];
  /** True when each worker has its own server. */
  perWorker: boolean;
}

/** The most servers a handoff may name (a per-worker run of this many workers is already far beyond a machine). */
const MAX_IDS = 1024;
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

/** Read the handoff in a worker (from QUICKDB_WATCHER_SERVERS unless given): a clear QuickdbError naming the missing
 *  globalSetup when it is absent, and a refusal when it is malformed (ids must be instance ids, the root absolute). */
export function readHandoff(raw: unknown = process.env[HANDOFF_ENV]): ServersHandoff {
  const value = parseHandoff(raw);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw refuseHandoff(`${HANDOFF_ENV} is not an object`);
  const record = value as Record<string, unknown>;
  const extra = Object.keys(record).find((key) => !KEYS.includes(key));
  if (extra !== undefined)
    throw refuseHandoff(`${HANDOFF_ENV} names an unknown key ${JSON.stringify(extra)}`);
  const { stateRoot, ids, perWorker } = record;
  if (typeof stateRoot !== 'string' || !isAbsolute(stateRoot) || stateRoot.includes('\0'))
    throw refuseHandoff(`its stateRoot ${JSON.stringify(stateRoot)} is not an absolute path`);
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_IDS)
    throw refuseHandoff(`its ids are not a list of 1 to ${MAX_IDS} instance ids`);
  for (const id of ids) {
    if (typeof id !== 'string' || !ID_PATTERN.test(id))
      throw refuseHandoff(`its ids hold ${JSON.stringify(id)}, which is not an instance id`);
  }
  if (typeof perWorker !== 'boolean') throw refuseHandoff('its perWorker is not true or false');
  if (!perWorker && ids.length !== 1) throw refuseHandoff('a shared server is named by exactly one id');
  return { stateRoot, ids: [...ids] as string[], perWorker };
}
