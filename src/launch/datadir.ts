// Data dirs at launch: create, adopt empty, reuse our own, or refuse anything foreign or misplaced (exit 2).
import { lstatSync, mkdirSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describeWriteFailure, UsageError } from '../errors.js';
import { closeDir, type DirHandle, dirPath, openDir } from '../state/files/dir-handle.js';
import {
  deleteOwnedDir,
  forbiddenPaths,
  inspectMarkerAt,
  MARKER_NAME,
  writeMarkerAt,
} from '../state/files/marker.js';
import { isPathWithin, resolveRealPath } from '../state/files/real-path.js';

export interface PreparedDataDir {
  dir: string;
  realPath: string;
  /** true when we created it now (so a failed launch may remove it). */
  created: boolean;
  /** true when it holds no data yet (created, or adopted empty). */
  fresh: boolean;
}

function refuse(path: string, why: string): never {
  throw new UsageError('dataDir', path, why);
}

// True when path lies strictly under dir.
function isInside(path: string, dir: string): boolean {
  return path !== dir && isPathWithin(path, dir);
}

// Refuse a dir that would be taken for state (in the state root, outside <root>/<id>/) or that lies inside
// another instance's data dir (deleting that one would delete this one).
function refuseMisplaced(path: string, dir: string, id: string, stateRoot: string): void {
  const real = resolveRealPath(dir);
  for (const root of new Set([resolve(stateRoot), resolveRealPath(resolve(stateRoot))])) {
    if (isInside(real, root) || isInside(dir, root)) {
      const own = join(root, id);
      if (real === own || dir === own)
        refuse(
          path,
          `is this instance's own state dir ${own}; use a dir inside it or outside the state root`,
        );
      if (!isInside(real, own) && !isInside(dir, own)) {
        refuse(
          path,
          `is inside the state root ${root} but not inside this instance's own dir ${own}; gc would take it for state. Choose a dir outside the state root`,
        );
      }
    }
  }
  for (let at = dirname(real); ; at = dirname(at)) {
    const marker = inspectMarkerAt(at);
    if (marker.kind === 'id' && marker.id !== id) {
      refuse(
        path,
        `is inside the data dir of instance "${marker.id}" (${at}); deleting that one would delete it. Choose a dir outside it`,
      );
    }
    if (dirname(at) === at) break;
  }
}

// Adopt the opened dir: ours already (reuse), empty (write the marker, exclusively), or refuse it.
function adopt(path: string, handle: DirHandle, id: string): boolean {
  const marker = inspectMarkerAt(dirPath(handle));
  if (marker.kind === 'foreign') refuse(path, `its ${marker.why}; it is not ours. Give a new or empty dir`);
  if (marker.kind === 'id' && marker.id === id) return false;
  if (marker.kind === 'id')
    refuse(path, `belongs to instance "${marker.id}"; stop that instance or choose another dir`);
  if (readdirSync(dirPath(handle)).length > 0) {
    refuse(path, `is not empty and has no ${MARKER_NAME} marker, so it is not ours; give a new or empty dir`);
  }
  try {
    writeMarkerAt(dirPath(handle), id);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause;
    refuse(path, `gained a ${MARKER_NAME} while being adopted; not ours`);
  }
  return true;
}

// Make `path` this instance's data dir, writing the ownership marker; refuses what is not provably ours.
export function prepareDataDir(path: string, id: string, stateRoot: string): PreparedDataDir {
  const dir = resolve(path);
  const forbidden = forbiddenPaths(stateRoot);
  if (forbidden.includes(dir)) refuse(path, 'must not be /, $HOME or the state root');
  refuseMisplaced(path, dir, id, stateRoot);
  let created = false;
  try {
    lstatSync(dir);
  } catch {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    created = true;
  }
  let handle: DirHandle;
  try {
    handle = openDir(dir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || lstatSync(dir).isSymbolicLink())
      refuse(path, 'is a symlink; give the real directory');
    if (code === 'ENOTDIR') refuse(path, 'is not a directory');
    throw cause;
  }
  try {
    const realPath = realpathSync(dir);
    if (forbidden.includes(realPath)) refuse(path, 'must not be /, $HOME or the state root');
    const fresh = adopt(path, handle, id);
    return { dir, realPath, created, fresh };
  } catch (error) {
    // A dir we made a moment ago and could not mark (a full disk): still empty, so it goes, checked as ever.
    if (created) {
      try {
        deleteOwnedDir({ id, dir, realPath: realpathSync(dir), stateRoot, cutShort: true });
      } catch {}
    }
    throw describeWriteFailure(error, join(dir, MARKER_NAME));
  } finally {
    closeDir(handle);
  }
}
