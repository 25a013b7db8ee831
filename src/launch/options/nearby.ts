// "Did you mean ./db/migrations?": the dirs of .sql files near a migration dir that is not there.
import { readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

/** How deep below the base the search looks, and how many dirs it reads at most (a big tree is not walked). */
const MAX_DEPTH = 3;
const MAX_DIRS = 400;
/** Dirs never searched: dependencies, build output, version control. */
const SKIPPED = new Set(['node_modules', 'dist', 'build', 'coverage', 'target']);

// The dirs under `base` (bounded by depth and count) that hold at least one .sql file.
function listSqlDirs(base: string): string[] {
  const found: string[] = [];
  const queue: [string, number][] = [[base, 0]];
  for (let read = 0; queue.length > 0 && read < MAX_DIRS; read++) {
    const [dir, depth] = queue.shift() as [string, number];
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    if (entries.some((e) => e.isFile() && e.name.endsWith('.sql'))) found.push(dir);
    if (depth >= MAX_DEPTH) continue;
    for (const e of entries)
      if (e.isDirectory() && !e.name.startsWith('.') && !SKIPPED.has(e.name))
        queue.push([join(dir, e.name), depth + 1]);
  }
  return found;
}

/** The dirs of .sql files under `base` that `missing` may have meant, as `./relative` paths, best first: those
 *  named like it, then those named like "migrations", then the rest (at most three). */
export function findNearbySqlDirs(base: string, missing: string): string[] {
  const wanted = basename(missing).toLowerCase();
  const rank = (dir: string): number => {
    const name = basename(dir).toLowerCase();
    if (name === wanted) return 0;
    return /migrat/.test(name) ? 1 : 2;
  };
  return listSqlDirs(base)
    .filter((dir) => dir !== missing)
    .sort((a, b) => rank(a) - rank(b) || a.length - b.length)
    .slice(0, 3)
    .map((dir) => `./${relative(base, dir) || '.'}`);
}
