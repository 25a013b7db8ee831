// The snapshot cache for a library user: the cached data dirs new database instances are cloned from.
import {
  clearSnapshots as clearIn,
  listSnapshots as listIn,
  listSnapshotKeys,
  resolveSnapshotsDir,
  type SnapshotEntry,
} from '../drivers/snapshots/cache.js';
import { UsageError } from '../errors.js';
import { joinChoices } from '../suggest.js';

/** The cached snapshots, and where they are. */
export interface SnapshotList {
  /** The snapshots dir (in the cache root: env `QUICKDB_WATCHER_CACHE`, else `~/.cache/quickdb-watcher`). */
  dir: string;
  /** Each complete snapshot: its key, engine, version, size in bytes, when and how fast it was built; a migrated
   *  one names its `base` snapshot and the `migration` that ran. */
  snapshots: SnapshotEntry[];
}

/** What {@link clearSnapshots} did. */
export interface SnapshotClearing {
  /** The snapshots dir. */
  dir: string;
  /** The entries removed (snapshots, stale builds and locks). */
  removed: string[];
  /** Snapshots kept because they are being built right now. */
  kept: string[];
  /** Names in the dir that are not ours (left alone). */
  left: string[];
}

/**
 * The cached snapshots (`quickdb-watcher snapshots list`).
 *
 * @throws {UsageError} the cache root named by `QUICKDB_WATCHER_CACHE` is open to other users.
 */
export function listSnapshots(): SnapshotList {
  const dir = resolveSnapshotsDir();
  return { dir, snapshots: listIn(dir) };
}

/**
 * Remove the cached snapshots, or only the one `key` names (`quickdb-watcher snapshots clear [KEY]`): the next start
 * builds a fresh one. A snapshot being built right now is kept.
 *
 * @throws {UsageError} `key` names no snapshot (the message lists those there are), or the cache root is refused.
 */
export function clearSnapshots(options: { key?: string } = {}): SnapshotClearing {
  const dir = resolveSnapshotsDir();
  const key = options.key;
  if (key !== undefined) {
    const keys = listSnapshotKeys(dir);
    if (!keys.includes(key)) {
      const there =
        keys.length > 0
          ? `expected a key \`snapshots list\` shows: ${joinChoices(keys)}`
          : `no snapshots in ${dir}`;
      throw new UsageError('key', key, there);
    }
  }
  return { dir, ...clearIn(dir, key) };
}
