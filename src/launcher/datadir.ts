// Data dirs at launch: create, adopt empty, reuse our own, or refuse anything foreign (exit 2).
import { lstatSync, mkdirSync, readdirSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { forbiddenPaths, MARKER_NAME, readMarker, writeMarker } from '../state/marker.js';

export interface PreparedDataDir {
  dir: string;
  realPath: string;
  /** true when we created it now (so a failed launch may remove it). */
  created: boolean;
  /** true when it holds no data yet (created, or adopted empty). */
  fresh: boolean;
}

function refuse(path: string, why: string): never {
  throw new UsageError('--data-dir', path, why);
}

// Make `path` this instance's data dir, writing the ownership marker; refuses what is not provably ours.
export function prepareDataDir(path: string, id: string, stateRoot: string): PreparedDataDir {
  const dir = resolve(path);
  const forbidden = forbiddenPaths(stateRoot);
  if (forbidden.includes(dir)) refuse(path, 'must not be /, $HOME or the state root');
  let st: ReturnType<typeof lstatSync> | null = null;
  try {
    st = lstatSync(dir);
  } catch {}
  if (st === null) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeMarker(dir, id);
    return { dir, realPath: realpathSync(dir), created: true, fresh: true };
  }
  if (st.isSymbolicLink()) refuse(path, 'is a symlink; give the real directory');
  if (!st.isDirectory()) refuse(path, 'is not a directory');
  const realPath = realpathSync(dir);
  if (forbidden.includes(realPath)) refuse(path, 'must not be /, $HOME or the state root');
  const marker = readMarker(dir);
  if (marker === id) return { dir, realPath, created: false, fresh: false };
  if (marker !== null)
    refuse(path, `belongs to instance "${marker}"; stop that instance or choose another dir`);
  const entries = readdirSync(dir).filter((e) => e !== MARKER_NAME);
  if (entries.length > 0) {
    refuse(path, `is not empty and has no ${MARKER_NAME} marker, so it is not ours; give a new or empty dir`);
  }
  writeMarker(dir, id);
  return { dir, realPath, created: false, fresh: true };
}
