// What gc does on a verdict (gc-verdict.ts): recover a dead instance through the backstop, remove a record, or say
// why it left one alone; and the facts about an instance dir the verdict needs, read first.
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { loadBackend } from '../backends/index.js';
import { finishAfterWatcher } from '../cleanup/backstop.js';
import { appendToLog } from '../cleanup/record.js';
import { isHalfRemovedStateDir, tidyRemovedStateDir } from '../cleanup/state-dir.js';
import { checkLauncher } from '../launch/claim.js';
import { removeInstanceFiles } from '../launch/state-root.js';
import { deleteOwnedDir } from '../state/files/marker.js';
import { isProcessAlive } from '../state/process/procstat.js';
import { getInstancePaths } from '../state/records/paths.js';
import { readStatusFile } from '../state/records/status.js';
import { deleteAbandonedRamDir } from './gc-ram.js';
import type { DirFacts, GcVerdict } from './gc-verdict.js';
import type { InstanceView } from './inventory.js';

/** What gc did (or would do) about one instance. */
export interface GcAction {
  /** The instance id (`(staging)` for the claims of launchers that died). */
  id: string;
  /** recovered: finished after its dead watcher; removed-record: records tidied; kept, skipped: left, and why. */
  action: 'recovered' | 'removed-record' | 'kept' | 'skipped';
  /** What was done, in words (as `quickdb-watcher gc` prints it). */
  detail: string;
}

function isEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

// Read what the verdict needs of an instance dir that has no status (with a status, none of it matters).
export function readDirFacts(view: InstanceView): DirFacts {
  if (view.status || view.problem) return { empty: false, halfRemoved: false, launcher: 'unknown' };
  return {
    empty: !view.spec && isEmptyDir(view.stateDir),
    halfRemoved: isHalfRemovedStateDir(view.stateDir),
    launcher: checkLauncher(view.stateDir, view.spec),
  };
}

// Act on one verdict; null when there is nothing to do or say (its watcher or a backstop is at work).
export async function actOn(
  stateRoot: string,
  view: InstanceView,
  verdict: GcVerdict,
  dryRun: boolean,
): Promise<GcAction | null> {
  const { id } = view;
  const paths = getInstancePaths(stateRoot, id);
  switch (verdict.kind) {
    case 'refused':
      return { id, action: 'skipped', detail: `refused, nothing done: ${verdict.problem}` };
    case 'busy':
      return null;
    case 'prepared':
      return { id, action: 'kept', detail: 'prepared by `generate`, not started; `stop ID` removes it' };
    case 'empty':
      if (!dryRun) removeInstanceFiles(paths);
      return { id, action: 'removed-record', detail: 'an empty instance dir' };
    case 'half-removed':
      if (!dryRun) tidyRemovedStateDir(paths.spec);
      return { id, action: 'removed-record', detail: 'a half-removed instance dir' };
    case 'launching':
      return { id, action: 'skipped', detail: `launching (${verdict.why})` };
    case 'unfinished':
      return recover(stateRoot, view, dryRun);
    case 'kept':
      return {
        id,
        action: 'kept',
        detail: `data kept at ${view.dataDir}; \`quickdb-watcher rm ${id}\` deletes it`,
      };
    case 'finished': {
      if (!dryRun) removeInstanceFiles(paths);
      const refused =
        view.status?.dataDir.state === 'refused' ? ` (data dir left: ${view.status.dataDir.reason})` : '';
      return {
        id,
        action: 'removed-record',
        detail: `finished record${refused}; error was: ${view.error ?? 'none'}`,
      };
    }
  }
}

// Finish an instance whose watcher died unfinished, as every backstop does; without a spec, remove its abandoned launch.
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
