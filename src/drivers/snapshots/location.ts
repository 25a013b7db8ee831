// Where the snapshot cache lives and what a snapshot is called (Node built-ins only: the clone path loads it).
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { ensurePrivateDir } from '../../state/files/private-dir.js';
import { giveNotice, prepareCacheRoot } from '../../state/files/trusted-roots.js';

export const META_NAME = 'snapshot.json';

export interface SnapshotMeta {
  key: string;
  driver: string;
  version: string;
  config: Record<string, unknown>;
  createdAt: string;
  buildMs: number;
  /** A migrated snapshot: the plain snapshot it was migrated from, and what ran (for `snapshots list` and pruning). */
  base?: string;
  migration?: { hash: string; what: string; project: string };
}

// The dir that holds one subdir per snapshot: inside the cache root, both made private and checked first (a cache
// root the user named that others could write is refused, naming its env var: its snapshots would be run as ours).
export function resolveSnapshotsDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = prepareCacheRoot(env);
  if (!root.ok) throw new UsageError(root.envVar, root.path, root.problem);
  giveNotice(root.notice);
  const dir = join(root.path, 'snapshots');
  const problem = ensurePrivateDir(dir);
  if (problem) throw new UsageError('QUICKDB_WATCHER_CACHE', dir, problem);
  return dir;
}

// A snapshot's name: driver, version and a hash of everything else that shapes the data dir.
export function makeSnapshotKey(driver: string, version: string, config: Record<string, unknown>): string {
  const hash = createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 12);
  return `${driver}-${version.replace(/[^A-Za-z0-9.]+/g, '_')}-${hash}`;
}
