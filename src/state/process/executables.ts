// Finding executables in given dirs or on PATH (server binaries, and the tools whose versions are cached).
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

// True when path is an executable regular file (after symlinks).
function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// The dirs of $PATH, in order.
export function listPathDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.PATH ?? '').split(delimiter).filter(Boolean);
}

// The first dir holding every one of `names` as an executable; null when none does.
export function findDirWith(names: string[], dirs: string[]): string | null {
  return dirs.find((d) => names.every((n) => isExecutable(join(d, n)))) ?? null;
}

// The first existing executable among `names` in `dirs` (names tried in order within each dir).
// Not resolved: some servers (redis-server) are symlinks that dispatch on their own name.
export function findExecutable(names: string[], dirs: string[]): string | null {
  for (const dir of dirs) {
    for (const name of names) {
      const path = join(dir, name);
      if (isExecutable(path)) return path;
    }
  }
  return null;
}
