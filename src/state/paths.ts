// Where state lives: the root, and each instance's files inside it.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `quickdb-watcher-${uid}`);
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
