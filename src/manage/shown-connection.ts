// What `status`, `list` and `env` show of an instance's connection: the url and env spec.json records, checked like
// any record read back (launch/record.ts), and only for the caller's own instances (they hold passwords).
import { lstatSync } from 'node:fs';
import { type AuthChoice, readAuth } from '../drivers/access.js';
import type { Connection } from '../drivers/types.js';
import { QuickdbError, UsageError } from '../errors.js';
import { readLaunchRecord, requireRecorded } from '../launch/record.js';
import { getInstancePaths } from '../state/records/paths.js';
import type { Spec } from '../state/records/spec.js';
import { type InstanceView, inspectInstance } from './inventory.js';

/** The connection part of `status --json` and `list --json`: null url/env when none is shown, and why not. */
export interface ConnectionView {
  /** The server's URL (null for a command, or when not shown). */
  url: string | null;
  /** The environment a client uses (null when not shown). */
  env: Record<string, string> | null;
  /** Why the recorded connection is not shown (refused, or another user's), or null. */
  connectionProblem: string | null;
  /** Database drivers: `'password'`, or `'trust'` when the loopback port wants none; null when not shown. */
  auth: AuthChoice | null;
}

// The checked connection of an instance whose spec.json is the caller's own (a QuickdbError otherwise): a state
// root is private to its user, but one named by QUICKDB_WATCHER_STATE could hold another user's records.
function readOwnConnection(spec: Spec, action: string): Connection {
  const uid = process.getuid?.();
  const owner = lstatSync(getInstancePaths(spec.stateRoot, spec.id).spec, { throwIfNoEntry: false })?.uid;
  if (uid !== undefined && owner !== uid)
    throw new QuickdbError(
      `refusing to ${action} ${spec.id}: its spec.json belongs to uid ${owner}, not you (uid ${uid})`,
    );
  return requireRecorded(readLaunchRecord(spec).connection, spec.id, action);
}

/** The url and env to show for an instance in `status`/`list` (whatever its phase). */
export function describeConnection(view: InstanceView): ConnectionView {
  if (!view.spec || view.problem) return { url: null, env: null, connectionProblem: null, auth: null };
  try {
    const { url, env } = readOwnConnection(view.spec, 'show the connection of');
    return { url: url ?? null, env, connectionProblem: null, auth: url === undefined ? null : readAuth(env) };
  } catch (error) {
    if (!(error instanceof QuickdbError)) throw error;
    return { url: null, env: null, connectionProblem: error.message, auth: null };
  }
}

/** The spec of the running instance `id`: a UsageError (exit 2) when there is none, a QuickdbError (exit 1) when its
 *  record is refused (`action` says what was refused) or it is not running (`lives` says what lives only while it
 *  runs). */
export function requireRunningSpec(stateRoot: string, id: string, action: string, lives: string): Spec {
  const view = inspectInstance(stateRoot, id);
  if (!view) throw new UsageError('ID', id, 'no such instance; `quickdb-watcher list` shows the instances');
  if (view.problem) throw new QuickdbError(`refusing to ${action} ${id}: ${view.problem}`);
  if (!view.spec || view.phase !== 'ready' || !view.watcherAlive || !view.serverAlive)
    throw new QuickdbError(`${id} is not running (phase ${view.phase}); ${lives} only while its server runs`);
  return view.spec;
}

/** The connection of the running instance `id` (`quickdb-watcher env ID`), errors as requireRunningSpec's. */
export function readRunningConnection(stateRoot: string, id: string): Connection {
  const action = 'print the connection of';
  return readOwnConnection(requireRunningSpec(stateRoot, id, action, 'its connection works'), action);
}
