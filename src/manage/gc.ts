// Garbage collection: finish instances whose watcher is gone (orphan server, data dir, unit, state), and tidy records.
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { loadBackend } from '../backends/index.js';
import { finishAfterWatcher } from '../cleanup/backstop.js';
import { appendToLog } from '../cleanup/record.js';
import { isHalfRemovedStateDir, tidyRemovedStateDir } from '../cleanup/state-dir.js';
import { checkLauncher, collectStaleClaims } from '../launch/claim.js';
import { checkStateRoot, removeInstanceFiles } from '../launch/state-root.js';
import { clearStaleTakeoverLock } from '../launch/takeover.js';
import { deleteOwnedDir } from '../state/files/marker.js';
import { isProcessAlive } from '../state/process/procstat.js';
import { getInstancePaths } from '../state/records/paths.js';
import { isFinishedPhase, readStatusFile } from '../state/records/status.js';
import { pruneStopNotes } from '../state/records/stop-note.js';
import {
  deleteAbandonedRamDir,
  removeSpares,
  sweepOrphanedRamRoots,
  sweepRamStrays,
  sweepStaleSpares,
} from './gc-ram.js';
import { type InstanceView, listInstances } from './inventory.js';

/** How long a dir without status and without a launcher on record may be a launch in progress (older versions). */
const LAUNCH_GRACE_MS = 60_000;

/** What gc did (or would do) about one instance. */
export interface GcAction {
  /** The instance id (`(staging)` for the claims of launchers that died). */
  id: string;
  /** recovered: finished after its dead watcher; removed-record: records tidied; kept, skipped: left, and why. */
  action: 'recovered' | 'removed-record' | 'kept' | 'skipped';
  /** What was done, in words (as `quickdb-watcher gc` prints it). */
  detail: string;
}

export interface GcOptions {
  dryRun?: boolean;
  /** Only recover dead, unfinished instances (what `up` does before launching). */
  quick?: boolean;
  /** How long a dir without status counts as a launch in progress (default 60 s). */
  launchGraceMs?: number;
}

function isEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

async function recover(stateRoot: string, view: InstanceView, dryRun: boolean): Promise<GcAction> {
  const spec = view.spec;
  if (!spec) {
    const paths = getInstancePaths(stateRoot, view.id);
    // The launcher died before writing the spec: a default data dir it made holds our marker (or, killed just
    // after making it, is empty); delete it checked.
    if (!dryRun && existsSync(paths.defaultDataDir)) {
      const dir = paths.defaultDataDir;
      deleteOwnedDir({ id: view.id, dir, realPath: realpathSync(dir), stateRoot, cutShort: true });
    }
    if (!dryRun) deleteAbandonedRamDir(stateRoot, view.id);
    if (!dryRun) removeInstanceFiles(paths);
    return { id: view.id, action: 'removed-record', detail: 'an abandoned launch without a spec' };
  }
  if (dryRun) {
    const server = view.serverAlive ? `orphan server pid ${view.serverPid} to be stopped; ` : '';
    return {
      id: view.id,
      action: 'recovered',
      detail: `would finish: ${server}data dir per the cleanup rule`,
    };
  }
  await finishAfterWatcher(spec, 'gc', appendToLog(getInstancePaths(stateRoot, view.id).log));
  // Said after the fact: post-stop signals only a server it can prove is the instance's.
  const left =
    view.serverPid !== null &&
    isProcessAlive({ pid: view.serverPid, startTime: view.status?.serverStartTime });
  const server = !view.serverAlive
    ? ''
    : left
      ? `server pid ${view.serverPid} left running (not provably this instance's; see its runner.log); `
      : `orphan server pid ${view.serverPid} killed; `;
  await (await loadBackend(spec.backend)).release(spec).catch(() => {});
  const paths = getInstancePaths(stateRoot, view.id);
  const after = readStatusFile(paths.status);
  const data = existsSync(spec.dataDir)
    ? `data dir kept (${after?.dataDir.reason ?? 'cleanup rule'})`
    : 'data dir deleted';
  if (after && after.phase !== 'failed') removeInstanceFiles(paths);
  return { id: view.id, action: 'recovered', detail: `${server}${data}` };
}

// What gc does with a dir that has no status yet: wait while its launcher runs (or, with no launcher on record, for
// the age grace); null when it is abandoned and must be recovered now.
function judgeLaunch(view: InstanceView, options: GcOptions): GcAction | null {
  const launcher = checkLauncher(view.stateDir, view.spec);
  if (launcher === 'gone') return null;
  if (launcher === 'unknown' && view.ageMs >= (options.launchGraceMs ?? LAUNCH_GRACE_MS)) return null;
  const why = launcher === 'alive' ? 'its launcher is still running' : 'no status yet';
  return { id: view.id, action: 'skipped', detail: `launching (${why})` };
}

// Visit every instance whose watcher is gone and clean up after it; returns what was (or would be) done.
export async function collectGarbage(stateRoot: string, options: GcOptions = {}): Promise<GcAction[]> {
  const actions: GcAction[] = [];
  const dryRun = options.dryRun ?? false;
  checkStateRoot(stateRoot);
  if (!dryRun) pruneStopNotes(stateRoot);
  // A launcher killed mid-claim leaves only its staging dir, which no instance listing shows.
  const claims = dryRun ? 0 : collectStaleClaims(stateRoot, options.launchGraceMs ?? LAUNCH_GRACE_MS);
  if (claims > 0 && !options.quick)
    actions.push({
      id: '(staging)',
      action: 'removed-record',
      detail: `${claims} claim(s) of launchers that died`,
    });
  const say = (action: GcAction): void => {
    if (!options.quick) actions.push(action);
  };
  for (const view of listInstances(stateRoot)) {
    // A record that is invalid or does not belong where it was found is reported, never acted on.
    if (view.problem) {
      say({ id: view.id, action: 'skipped', detail: `refused, nothing done: ${view.problem}` });
      continue;
    }
    if (!dryRun && !options.quick && clearStaleTakeoverLock(view.stateDir))
      say({ id: view.id, action: 'removed-record', detail: 'a takeover lock whose launcher is gone' });
    // Its watcher, or a backstop finishing it, is at work: not ours to touch.
    if (view.watcherAlive || view.finisherAlive) continue;
    if (view.status?.phase === 'prepared') {
      say({
        id: view.id,
        action: 'kept',
        detail: 'prepared by `generate`, not started; `stop ID` removes it',
      });
      continue;
    }
    // An empty dir is what a watcher SIGKILLed while removing its own state dir leaves; nothing can be launching in it.
    if (!view.status && !view.spec && isEmptyDir(view.stateDir)) {
      if (!dryRun) removeInstanceFiles(getInstancePaths(stateRoot, view.id));
      actions.push({ id: view.id, action: 'removed-record', detail: 'an empty instance dir' });
      continue;
    }
    // Or, killed a moment earlier, a few of its files without the spec: finish that removal, by file name.
    if (!view.status && isHalfRemovedStateDir(view.stateDir)) {
      if (!dryRun) tidyRemovedStateDir(getInstancePaths(stateRoot, view.id).spec);
      actions.push({ id: view.id, action: 'removed-record', detail: 'a half-removed instance dir' });
      continue;
    }
    const launching = view.status ? null : judgeLaunch(view, options);
    if (launching) {
      say(launching);
      continue;
    }
    if (!isFinishedPhase(view.status?.phase)) {
      actions.push(await recover(stateRoot, view, dryRun));
      continue;
    }
    if (options.quick) continue;
    if (view.status?.dataDir.state === 'kept') {
      actions.push({
        id: view.id,
        action: 'kept',
        detail: `data kept at ${view.dataDir}; \`quickdb-watcher rm ${view.id}\` deletes it`,
      });
      continue;
    }
    if (!dryRun) removeInstanceFiles(getInstancePaths(stateRoot, view.id));
    const refused =
      view.status?.dataDir.state === 'refused' ? ` (data dir left: ${view.status.dataDir.reason})` : '';
    actions.push({
      id: view.id,
      action: 'removed-record',
      detail: `finished record${refused}; error was: ${view.error ?? 'none'}`,
    });
  }
  if (!options.quick)
    for (const stray of sweepRamStrays(stateRoot, dryRun))
      actions.push({ ...stray, action: 'removed-record' });
  // The quick gc of every `up` removes only spares no launch can use; a full gc gives all their memory back.
  if (options.quick && !dryRun) sweepStaleSpares(stateRoot);
  else
    for (const detail of removeSpares(stateRoot, dryRun))
      actions.push({ id: '(spares)', action: 'removed-record', detail });
  for (const root of dryRun ? [] : sweepOrphanedRamRoots())
    say({ id: '(spares)', action: 'removed-record', detail: `spares of ${root}, whose state root is gone` });
  return actions;
}
