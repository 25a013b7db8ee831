// Where state lives: each instance's files inside the state root, and how paths relate (the roots: trusted-roots.ts).
import { realpathSync } from 'node:fs';
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

// The user part of our per-user dir names: the uid, or "user" where there are none (Windows).
export function readUserTag(): string {
  return typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
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
