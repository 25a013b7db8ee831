// How paths relate: our per-user tag, containment of one path in another, and the real path a path has or would have.
import { realpathSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';

// The user part of our per-user dir names: the uid, or "user" where there are none (Windows).
export function readUserTag(): string {
  return typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
}

// True when path is dir itself or lies under it (plain path strings; resolve them first).
export function isPathWithin(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`);
}

// The real path `path` has or would have: its nearest existing ancestor resolved, the rest appended.
export function resolveRealPath(path: string): string {
  const rest: string[] = [];
  let at = path;
  for (;;) {
    try {
      return join(realpathSync(at), ...rest.reverse());
    } catch {
      if (dirname(at) === at) return path;
      rest.push(basename(at));
      at = dirname(at);
    }
  }
}
