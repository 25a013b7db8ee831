// The ownership rules that guard every deletion: data dirs by marker, state dirs by place; both go to removeTree.
import { lstatSync, readdirSync, realpathSync, statSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import {
  closeDir,
  currentPath,
  type DirHandle,
  dirPath,
  entryPath,
  isSameFile,
  openDir,
} from './dir-handle.js';
import { inspectMarkerAt, MARKER_NAME } from './marker-file.js';
import { removeTree, type TreeResult } from './remove-tree.js';

export {
  inspectMarkerAt,
  MARKER_NAME,
  readMarker,
  writeMarkerAt,
} from './marker-file.js';

export interface OwnedDir {
  id: string;
  dir: string;
  realPath: string;
  stateRoot: string;
  /** Our own creation or deletion of it was cut short (the marker is written just after mkdir and removed last),
   *  so an empty dir without the marker, or holding only an empty marker (its write cut short), is ours too. */
  cutShort?: boolean;
}

/** The outcome of a deletion; `left` names the mount points left in place. */
export type DeleteVerdict = { ok: true } | { ok: false; reason: string; left?: string[] };

// Paths never deleted whatever the marker says: /, $HOME and the state root.
export function forbiddenPaths(stateRoot: string): string[] {
  const list = ['/', homedir(), stateRoot].map((p) => resolve(p));
  for (const p of [...list]) {
    try {
      list.push(realpathSync(p));
    } catch {}
  }
  return list;
}

// True when the opened dir is /, $HOME or the state root, by path or by identity (a bind mount of one counts).
function isForbidden(root: DirHandle, real: string, stateRoot: string): boolean {
  const paths = forbiddenPaths(stateRoot);
  if (paths.includes(real)) return true;
  return paths.some((p) => {
    try {
      return isSameFile(statSync(p), root.id);
    } catch {
      return false;
    }
  });
}

// Open a dir to be deleted, or say why not (gone, a symlink, not a dir).
function openForDeletion(dir: string): DirHandle | string {
  try {
    return openDir(dir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `${dir} does not exist`;
    try {
      if (lstatSync(dir).isSymbolicLink()) return `${dir} is now a symlink; not following it`;
    } catch {}
    if (code === 'ENOTDIR') return `${dir} is not a directory`;
    return `${dir} cannot be opened (${code ?? (cause as Error).message})`;
  }
}

// Why the opened dir is not the one at `path` resolving to `realPath`, or null when it is.
function checkPlace(root: DirHandle, path: string, realPath: string): string | null {
  if (!isSameFile(lstatSync(path), root.id)) return `${path} changed while being checked`;
  for (const real of [realpathSync(path), currentPath(root)]) {
    if (real !== null && real !== realPath)
      return `${path} now resolves to ${real}, not the recorded ${realPath}`;
  }
  return null;
}

// Why the opened data dir may not be deleted by `owned.id`, or null when it may.
function checkOwned(owned: OwnedDir, root: DirHandle): string | null {
  const misplaced = checkPlace(root, owned.dir, owned.realPath);
  if (misplaced) return misplaced;
  if (isForbidden(root, owned.realPath, owned.stateRoot)) {
    return `${owned.realPath} is /, $HOME or the state root; never deleted`;
  }
  const marker = inspectMarkerAt(dirPath(root));
  if (marker.kind === 'foreign') {
    const alone = owned.cutShort && marker.empty && readdirSync(dirPath(root)).join('/') === MARKER_NAME;
    return alone ? null : `${owned.dir}: ${marker.why}; not ours`;
  }
  if (marker.kind === 'absent') {
    if (owned.cutShort && readdirSync(dirPath(root)).length === 0) return null;
    return `${owned.dir} has no ${MARKER_NAME} marker; not ours`;
  }
  if (marker.id !== owned.id) return `${owned.dir} belongs to instance "${marker.id}", not "${owned.id}"`;
  return null;
}

// The verdict for a tree removal: ok only when the dir is gone; otherwise what was left and what failed.
function describeResult(dir: string, result: TreeResult): DeleteVerdict {
  if (result.removed) return { ok: true };
  const parts: string[] = [];
  const n = result.left.length;
  if (n > 0) parts.push(`left ${n} mount point${n === 1 ? '' : 's'}: ${result.left.join(', ')}`);
  const f = result.failed.length;
  if (f > 0) {
    const shown = result.failed.slice(0, 5).join(', ') + (f > 5 ? ', …' : '');
    parts.push(`could not remove ${f} entr${f === 1 ? 'y' : 'ies'}: ${shown}`);
  }
  if (parts.length === 0) parts.push(`${dir} was not removed`);
  return { ok: false, reason: `${parts.join('; ')} (the rest of ${dir} is deleted)`, left: result.left };
}

/** A data dir opened without following links and checked on that handle (place, realpath, not forbidden, our
 *  marker), or why not; the caller closes it. */
export function openOwnedDir(owned: OwnedDir): DirHandle | string {
  const root = openForDeletion(owned.dir);
  if (typeof root === 'string') return root;
  try {
    const refusal = checkOwned(owned, root);
    if (refusal === null) return root;
    closeDir(root);
    return refusal;
  } catch (cause) {
    closeDir(root);
    return `checking ${owned.dir} failed: ${(cause as Error).message}`;
  }
}

/** The one checked deletion of a data dir: opened and checked by openOwnedDir, then removed through that very
 *  handle with the marker last. */
export function deleteOwnedDir(owned: OwnedDir): DeleteVerdict {
  const root = openOwnedDir(owned);
  if (typeof root === 'string') return { ok: false, reason: root };
  try {
    return describeResult(owned.dir, removeTree(root, { last: MARKER_NAME }));
  } catch (cause) {
    return { ok: false, reason: `deleting ${owned.dir} failed: ${(cause as Error).message}` };
  } finally {
    closeDir(root);
  }
}

/** The one checked deletion of an instance's state dir: a real dir directly under the state root (never the root),
 *  removed through its handle; `keep` names entries left in it (a data dir living there). */
export function deleteStateDir(dir: string, stateRoot: string, keep: readonly string[] = []): DeleteVerdict {
  const path = resolve(dir);
  if (dirname(path) !== resolve(stateRoot))
    return { ok: false, reason: `${path} is not directly under the state root` };
  const root = openForDeletion(path);
  if (typeof root === 'string') return { ok: false, reason: root };
  try {
    const refusal = checkPlace(root, path, join(realpathSync(stateRoot), basename(path)));
    if (refusal) return { ok: false, reason: refusal };
    if (isForbidden(root, path, stateRoot))
      return { ok: false, reason: `${path} is /, $HOME or the state root` };
    const result = removeTree(root, { keep });
    if (!result.removed && result.left.length === 0 && result.failed.length === 0) return { ok: true };
    return describeResult(path, result);
  } catch (cause) {
    return { ok: false, reason: `deleting ${path} failed: ${(cause as Error).message}` };
  } finally {
    closeDir(root);
  }
}

// Remove our marker from a dir we adopted (only a plain marker holding `id`); true when it was removed.
export function removeOwnMarker(dir: string, id: string): boolean {
  const root = openForDeletion(dir);
  if (typeof root === 'string') return false;
  try {
    const marker = inspectMarkerAt(dirPath(root));
    if (marker.kind !== 'id' || marker.id !== id) return false;
    unlinkSync(entryPath(root, MARKER_NAME));
    return true;
  } catch {
    return false;
  } finally {
    closeDir(root);
  }
}
