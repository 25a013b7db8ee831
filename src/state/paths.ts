// Where state lives: the root, each instance's files inside it, and how paths relate.
import { realpathSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, sep } from 'node:path';

export interface InstancePaths {
  dir: string;
  spec: string;
  status: string;
  log: string;
  serverLog: string;
  lifeline: string;
  defaultDataDir: string;
}

/** The longest unix socket path (sun_path less its NUL): 107 bytes on Linux, 103 on macOS and the BSDs. */
export const SOCKET_PATH_MAX = process.platform === 'linux' ? 107 : 103;

// The state root: $QUICKDB_WATCHER_STATE, else $XDG_RUNTIME_DIR/quickdb-watcher, else <tmp>/quickdb-watcher-<uid>.
export function resolveStateRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.QUICKDB_WATCHER_STATE) return env.QUICKDB_WATCHER_STATE;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'quickdb-watcher');
  return join(tmpdir(), `quickdb-watcher-${readUserTag()}`);
}

// The user part of our per-user dir names: the uid, or "user" where there are none (Windows).
export function readUserTag(): string {
  return typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
}

// The cache root: $QUICKDB_WATCHER_CACHE, else $XDG_CACHE_HOME/quickdb-watcher, else ~/.cache/quickdb-watcher.
export function resolveCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.QUICKDB_WATCHER_CACHE) return env.QUICKDB_WATCHER_CACHE;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'quickdb-watcher');
  return join(homedir(), '.cache', 'quickdb-watcher');
}

// The files of one instance under the state root.
export function getInstancePaths(stateRoot: string, id: string): InstancePaths {
  const dir = join(stateRoot, id);
  return {
    dir,
    spec: join(dir, 'spec.json'),
    status: join(dir, 'status.json'),
    log: join(dir, 'runner.log'),
    serverLog: join(dir, 'server.log'),
    lifeline: join(dir, 'lifeline.sock'),
    defaultDataDir: join(dir, 'data'),
  };
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
