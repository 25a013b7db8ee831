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

/** The names of an instance's files in its state dir (getInstancePaths joins them; a tidy-up matches them). */
export const INSTANCE_FILES = {
  spec: 'spec.json',
  status: 'status.json',
  log: 'runner.log',
  serverLog: 'server.log',
  lifeline: 'lifeline.sock',
  defaultDataDir: 'data',
} as const;

// The files of one instance under the state root: the one place their paths are made.
export function getInstancePaths(stateRoot: string, id: string): InstancePaths {
  const dir = join(stateRoot, id);
  return {
    dir,
    spec: join(dir, INSTANCE_FILES.spec),
    status: join(dir, INSTANCE_FILES.status),
    log: join(dir, INSTANCE_FILES.log),
    serverLog: join(dir, INSTANCE_FILES.serverLog),
    lifeline: join(dir, INSTANCE_FILES.lifeline),
    defaultDataDir: join(dir, INSTANCE_FILES.defaultDataDir),
  };
}
