// Where fetched PostgreSQL binaries are kept (the cache's private `binaries` dir) and what is there, read back as
// untrusted input: only dirs of ours that no one else can write, named as we name them.
import { lstatSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import semver from 'semver';
import { UsageError } from '../../../errors.js';
import { ensurePrivateDir } from '../../../state/files/private-dir.js';
import { giveNotice, prepareCacheRoot } from '../../../state/files/trusted-roots.js';
import { findDirWith } from '../../../state/process/executables.js';
import { PLATFORM } from '../embedded-package.js';
import type { PgVersionRequest } from '../version-request.js';

/** Root's store when its own cache cannot be reached by the server's user (as root PostgreSQL runs as postgres,
 *  and /root is closed to it). */
const ROOT_STORE = '/var/cache/quickdb-watcher';

// True when every dir from `dir` up may be searched by other users (the server's user, as root).
function canOthersReach(dir: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    if ((lstatSync(at).mode & 0o001) === 0) return false;
    if (at === '/') return true;
  }
}

// The store dir, made private (0700; search-only for others is granted later, where a server's user needs it).
export function resolveBinaryStore(env: NodeJS.ProcessEnv = process.env): string {
  const root = prepareCacheRoot(env);
  if (!root.ok) throw new UsageError(root.envVar, root.path, root.problem);
  giveNotice(root.notice);
  const asRoot = process.getuid?.() === 0 && !canOthersReach(dirname(root.path));
  const base = asRoot ? ROOT_STORE : root.path;
  for (const dir of asRoot ? [base, join(base, 'binaries')] : [join(base, 'binaries')]) {
    const problem = ensurePrivateDir(dir);
    if (problem) throw new UsageError('QUICKDB_WATCHER_CACHE', dir, problem);
  }
  return join(base, 'binaries');
}

// The entry name for a package version, e.g. postgresql-16.4.0-beta.14-linux-x64.
export function nameEntry(packageVersion: string): string {
  return `postgresql-${packageVersion}-${PLATFORM}`;
}

// The bin dir of a store entry when it is whole and ours alone (a dir, not a link, our uid, no group/other write).
export function checkEntry(store: string, name: string): string | null {
  try {
    const st = lstatSync(join(store, name));
    if (!st.isDirectory() || st.uid !== process.getuid?.() || (st.mode & 0o022) !== 0) return null;
  } catch {
    return null;
  }
  const bin = join(store, name, 'native', 'bin');
  return findDirWith(['initdb', 'postgres'], [bin]) ? bin : null;
}

// The newest stored package that answers the request: its bin dir, or null (nothing asked for is there).
export function findStored(store: string, request: PgVersionRequest): string | null {
  const prefix = 'postgresql-';
  const suffix = `-${PLATFORM}`;
  const versions = readdirSync(store)
    .filter((n) => n.startsWith(prefix) && n.endsWith(suffix))
    .map((n) => n.slice(prefix.length, -suffix.length))
    .filter((v) => semver.valid(v) && semver.major(v) === request.major)
    .filter((v) => request.minor === undefined || semver.minor(v) === request.minor)
    .sort(semver.rcompare);
  for (const version of versions) {
    const bin = checkEntry(store, nameEntry(version));
    if (bin) return bin;
  }
  return null;
}
