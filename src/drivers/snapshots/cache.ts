// The snapshot cache: where it lives, snapshot keys, listing and clearing.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isLockStale } from './lock.js';

export const META_NAME = 'snapshot.json';

export interface SnapshotMeta {
  key: string;
  driver: string;
  version: string;
  config: Record<string, unknown>;
  createdAt: string;
  buildMs: number;
}

export interface SnapshotEntry extends SnapshotMeta {
  dir: string;
  bytes: number;
}

// The cache root: $QUICKDB_WATCHER_CACHE, else $XDG_CACHE_HOME/quickdb-watcher, else ~/.cache/quickdb-watcher.
export function resolveCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.QUICKDB_WATCHER_CACHE) return env.QUICKDB_WATCHER_CACHE;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'quickdb-watcher');
  return join(homedir(), '.cache', 'quickdb-watcher');
}

// The dir that holds one subdir per snapshot.
export function resolveSnapshotsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(resolveCacheRoot(env), 'snapshots');
}

// A snapshot's name: driver, version and a hash of everything else that shapes the data dir.
export function makeSnapshotKey(driver: string, version: string, config: Record<string, unknown>): string {
  const hash = createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 12);
  return `${driver}-${version.replace(/[^A-Za-z0-9.]+/g, '_')}-${hash}`;
}

function measureBytes(path: string): number {
  const st = lstatSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((sum, e) => sum + measureBytes(join(path, e)), 0);
}

// The complete snapshots in the cache (builds in progress and stale leftovers are not listed).
export function listSnapshots(dir = resolveSnapshotsDir()): SnapshotEntry[] {
  if (!existsSync(dir)) return [];
  const entries: SnapshotEntry[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    try {
      const meta = JSON.parse(readFileSync(join(dir, name, META_NAME), 'utf8')) as SnapshotMeta;
      entries.push({ ...meta, dir: join(dir, name), bytes: measureBytes(join(dir, name)) });
    } catch {}
  }
  return entries;
}

// Remove every snapshot and stale leftover; a snapshot being built right now (live lock) is kept.
export function clearSnapshots(dir = resolveSnapshotsDir()): { removed: string[]; kept: string[] } {
  const removed: string[] = [];
  const kept: string[] = [];
  if (!existsSync(dir)) return { removed, kept };
  const names = readdirSync(dir);
  const busy = new Set(
    names
      .filter((n) => n.startsWith('.') && n.endsWith('.lock') && !isLockStale(join(dir, n)))
      .map((n) => n.slice(1, -'.lock'.length)),
  );
  for (const name of names) {
    const key = name.startsWith('.build-') ? name.slice('.build-'.length).replace(/-\d+$/, '') : name;
    const lockKey = name.startsWith('.') && name.endsWith('.lock') ? name.slice(1, -'.lock'.length) : key;
    if (busy.has(key) || busy.has(lockKey)) {
      kept.push(name);
      continue;
    }
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return { removed, kept };
}
