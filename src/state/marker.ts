// The ownership marker and the checks that guard every deletion of a data dir.
import { lstatSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const MARKER_NAME = '.quickdb-watcher';

export interface OwnedDir {
  id: string;
  dir: string;
  realPath: string;
  stateRoot: string;
  /** Our own creation or deletion of it was cut short (the marker is written just after mkdir and removed last),
   *  so an empty dir without the marker is ours too. */
  cutShort?: boolean;
}

export type DeleteVerdict = { ok: true } | { ok: false; reason: string };

// Write the marker that proves a data dir belongs to instance `id`.
export function writeMarker(dir: string, id: string): void {
  writeFileSync(join(dir, MARKER_NAME), `${id}\n`, { mode: 0o600 });
}

// The id in a dir's marker, or null when there is no regular marker file.
export function readMarker(dir: string): string | null {
  const path = join(dir, MARKER_NAME);
  try {
    if (!lstatSync(path).isFile()) return null;
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

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

// Decide whether `owned.dir` may be deleted now; the reason says why not.
export function checkDeletable(owned: OwnedDir): DeleteVerdict {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(owned.dir);
  } catch {
    return { ok: false, reason: `${owned.dir} does not exist` };
  }
  if (st.isSymbolicLink()) return { ok: false, reason: `${owned.dir} is now a symlink; not following it` };
  if (!st.isDirectory()) return { ok: false, reason: `${owned.dir} is not a directory` };
  const real = realpathSync(owned.dir);
  if (real !== owned.realPath) {
    return { ok: false, reason: `${owned.dir} now resolves to ${real}, not the recorded ${owned.realPath}` };
  }
  if (forbiddenPaths(owned.stateRoot).includes(real)) {
    return { ok: false, reason: `${real} is /, $HOME or the state root; never deleted` };
  }
  const marker = readMarker(owned.dir);
  if (marker === null && owned.cutShort && readdirSync(owned.dir).length === 0) return { ok: true };
  if (marker === null) return { ok: false, reason: `${owned.dir} has no ${MARKER_NAME} marker; not ours` };
  if (marker !== owned.id)
    return { ok: false, reason: `${owned.dir} belongs to instance "${marker}", not "${owned.id}"` };
  return { ok: true };
}

// Remove a marked dir with its marker last, so a removal cut short leaves either the marker or an empty dir.
export function removeMarkedDir(dir: string): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {}
  for (const entry of entries.filter((name) => name !== MARKER_NAME))
    rmSync(join(dir, entry), { recursive: true, force: true, maxRetries: 3 });
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

// Delete an owned dir after checking it, its marker last (a deletion cut short can be resumed); returns the verdict.
export function deleteOwnedDir(owned: OwnedDir): DeleteVerdict {
  const verdict = checkDeletable(owned);
  if (!verdict.ok) return verdict;
  try {
    removeMarkedDir(owned.dir);
    return { ok: true };
  } catch (cause) {
    return { ok: false, reason: `deleting ${owned.dir} failed: ${(cause as Error).message}` };
  }
}
