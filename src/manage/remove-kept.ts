// `rm ID`: delete what a stopped instance kept (its data dir, by our marker only) and its record, under the takeover
// lock so that no `up --id ID` reuses the data while it is being deleted.
import { existsSync } from 'node:fs';
import { QuickdbError, UsageError } from '../errors.js';
import { checkStateRoot, removeInstanceFiles } from '../launch/state-root.js';
import { holdTakeoverLock, isFinishedRecord } from '../launch/takeover.js';
import { deleteOwnedDir } from '../state/files/marker.js';
import { getInstancePaths } from '../state/records/paths.js';
import { inspectInstance } from './inventory.js';

/** What `rm` did: the data dir it deleted (or found gone), and the record removed. */
export interface KeptRemoval {
  /** The instance id. */
  id: string;
  /** The data dir deleted; null when the record had none left to delete. */
  deleted: string | null;
}

// The finished instance `id` (its watcher gone), or the reason it is not one to remove.
function readFinished(stateRoot: string, id: string) {
  const view = inspectInstance(stateRoot, id);
  if (!view) throw new UsageError('ID', id, 'no such instance; `quickdb-watcher list` shows the instances');
  if (view.problem) throw new QuickdbError(`refusing to remove ${id}: ${view.problem}`);
  if (!view.spec || !view.status || !isFinishedRecord(view.status))
    throw new QuickdbError(
      `${id} is ${view.phase}, not stopped; \`quickdb-watcher stop ${id}\` stops it and deletes its data`,
    );
  return { spec: view.spec, status: view.status };
}

/** Delete a stopped instance's kept data dir (only when it carries our marker for this id) and then its record. */
export function removeKeptInstance(stateRoot: string, id: string): KeptRemoval {
  checkStateRoot(stateRoot);
  const first = readFinished(stateRoot, id);
  const paths = getInstancePaths(stateRoot, id);
  const lock = holdTakeoverLock(paths, id);
  try {
    // Read again under the lock: the record we judged is still the one there (no launch took the id over since).
    const { spec, status } = readFinished(stateRoot, id);
    if (status.times.starting !== first.status.times.starting)
      throw new QuickdbError(`${id} was relaunched while being removed; nothing deleted`);
    let deleted: string | null = null;
    if (existsSync(spec.dataDir)) {
      const verdict = deleteOwnedDir({ id, dir: spec.dataDir, realPath: spec.dataDirReal, stateRoot });
      if (!verdict.ok) throw new QuickdbError(`${id}: data dir not deleted: ${verdict.reason}; record kept`);
      deleted = spec.dataDir;
    }
    removeInstanceFiles(paths);
    return { id, deleted };
  } finally {
    lock.release();
  }
}
