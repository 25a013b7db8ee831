// A prepared instance (`generate`: spec and data dir, never started): its status record, and its removal by `stop`.
import { existsSync } from 'node:fs';
import { deleteOwnedDir } from '../state/files/marker.js';
import type { InstancePaths } from '../state/records/paths.js';
import type { Spec } from '../state/records/spec.js';
import { createStatus, writeStatusFile } from '../state/records/status.js';
import { removeInstanceFiles } from './state-root.js';

/** Record that the instance is prepared, not started: gc leaves it alone, `list` shows it, `stop` removes it.
 *  The watcher replaces this status when the definition starts it. */
export function writePreparedStatus(spec: Spec, paths: InstancePaths): void {
  const status = createStatus(spec.id, 'prepared', null);
  writeStatusFile(paths.status, status);
}

export interface Removal {
  ok: boolean;
  /** What happened to the data dir, in words. */
  detail: string;
}

/** Remove a prepared instance: its data dir through the checked deletion (unless keep), then its state dir. */
export function removePrepared(paths: InstancePaths, spec: Spec, keep: boolean): Removal {
  if (keep) {
    removeInstanceFiles(paths);
    return { ok: true, detail: `data dir kept at ${spec.dataDir}` };
  }
  if (existsSync(spec.dataDir)) {
    const verdict = deleteOwnedDir({
      id: spec.id,
      dir: spec.dataDir,
      realPath: spec.dataDirReal,
      stateRoot: spec.stateRoot,
    });
    if (!verdict.ok) return { ok: false, detail: `data dir not deleted: ${verdict.reason}; state kept` };
  }
  removeInstanceFiles(paths);
  return { ok: true, detail: 'data dir deleted' };
}
