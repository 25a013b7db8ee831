// The last step, the same for the watcher and every backstop: remove a SysV segment the server left, delete the data
// dir under the ownership rules, write the outcome and who reached it, tidy the state dir.
import { lstatSync } from 'node:fs';
import { deleteOwnedDir } from '../state/files/marker.js';
import type { Spec } from '../state/records/spec.js';
import { releaseIdleRamRoot } from './ram-root.js';
import type { InstanceRecord } from './record.js';
import { releaseServerSegment } from './server-segment.js';
import { isStateDisposable, removeStateDir } from './state-dir.js';

export interface FinishPlan {
  deleteData: boolean;
  failed: boolean;
  /** Never ready: a launcher still waiting reads status.json and removes the state itself. */
  neverReady?: boolean;
}

// True when nothing at all is at path (not even a dangling symlink).
function isGone(path: string): boolean {
  try {
    lstatSync(path);
    return false;
  } catch {
    return true;
  }
}

// Apply the cleanup rule to the data dir and return the exit code (0 clean, 1 failed).
export async function finishInstance(spec: Spec, report: InstanceRecord, plan: FinishPlan): Promise<number> {
  report.phase('cleaning', { finishedBy: report.makeFinishClaim() });
  // The server is gone: whatever the data dir's fate, a segment it could not release goes, read from its record first.
  await releaseServerSegment(spec, report);
  let code = plan.failed ? 1 : 0;
  if (
    plan.deleteData &&
    spec.cleanup &&
    (report.status.dataDir.state === 'deleted' || isGone(spec.dataDir))
  ) {
    // Already gone (a watcher killed after deleting it, before saying so; or removed by hand): nothing to delete.
    report.update({ dataDir: { state: 'deleted' } });
    report.log(`data dir ${spec.dataDir} was already gone`);
  } else if (plan.deleteData && spec.cleanup) {
    // Recorded first, so a watcher killed mid-deletion is resumed (the marker goes last).
    const cutShort = report.status.dataDir.state === 'deleting';
    report.update({ dataDir: { state: 'deleting' } });
    const verdict = deleteOwnedDir({
      id: spec.id,
      dir: spec.dataDir,
      realPath: spec.dataDirReal,
      stateRoot: spec.stateRoot,
      cutShort,
    });
    if (verdict.ok) {
      report.update({ dataDir: { state: 'deleted' } });
      report.log(`deleted data dir ${spec.dataDir}`);
    } else {
      code = 1;
      report.update({ dataDir: { state: 'refused', reason: verdict.reason } });
      report.log(`refused to delete the data dir: ${verdict.reason}`);
      report.update({
        error: [report.status.error, `data dir not deleted: ${verdict.reason}`].filter(Boolean).join('; '),
      });
    }
  } else {
    const reason = spec.cleanup ? 'stopped with keep (SIGINT)' : 'cleanup is off for this instance';
    report.update({ dataDir: { state: 'kept', reason } });
    report.log(`kept data dir ${spec.dataDir}: ${reason}`);
  }
  report.phase(code === 0 ? 'done' : 'failed');
  if (isStateDisposable(spec, report.status, plan.neverReady ?? false)) removeStateDir(spec);
  // The last instance of its state root gone: the RAM its spares hold is given back (no gc needed).
  await releaseIdleRamRoot(spec.stateRoot, spec.id, spec.dataDir);
  report.log(
    report.actor === 'watcher' ? `watcher exits with code ${code}` : `finished the instance (code ${code})`,
  );
  return code;
}
