// Where state lives: each instance's files inside the state root (the roots: files/trusted-roots.ts; how paths relate: files/real-path.ts).
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
