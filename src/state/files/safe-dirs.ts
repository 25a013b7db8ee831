// Whether a dir and every dir above it are safe from other users: owned by us or root, and writable by no one else
// unless sticky (in a sticky dir others cannot rename or replace our entries). Else another user could swap our
// state dirs for theirs between two steps.
import { lstatSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';

/** Why `path` (or a dir above it) is open to other users, or null when it and all above it are safe. */
export function findUnsafeDir(path: string): string | null {
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  if (uid === undefined) return null; // Windows: no such modes
  let dir: string;
  try {
    dir = realpathSync(path);
  } catch (cause) {
    return `cannot resolve ${path}: ${(cause as Error).message}`;
  }
  for (;;) {
    const st = lstatSync(dir);
    const sticky = (st.mode & 0o1000) !== 0;
    if (st.uid !== uid && st.uid !== 0) return `${dir} belongs to uid ${st.uid}, who may swap what is inside`;
    if (!sticky && ((st.mode & 0o002) !== 0 || ((st.mode & 0o020) !== 0 && st.gid !== gid)))
      return `others may write ${dir} (mode ${(st.mode & 0o7777).toString(8)}, not sticky) and swap what is inside`;
    if (dir === '/') return null;
    dir = dirname(dir);
  }
}
