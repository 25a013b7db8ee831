// status.json: the runner's phase, pids, times and outcome, written atomically.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export type Phase =
  | 'starting'
  | 'spawning'
  | 'waiting-ready'
  | 'ready'
  | 'server-exited'
  | 'stopping'
  | 'cleaning'
  | 'done'
  | 'failed';

/** 'deleting': a deletion started (ownership proven); seen only when the runner was killed during it. */
export type DataDirState = 'present' | 'deleting' | 'kept' | 'deleted' | 'refused' | 'failed';

export interface ServerExit {
  code: number | null;
  signal: string | null;
  /** true when the server ended without being asked to. */
  unexpected: boolean;
}

export interface Status {
  id: string;
  phase: Phase;
  runnerPid: number;
  runnerStartTime: string | null;
  serverPid: number | null;
  serverStartTime: string | null;
  quiet: boolean;
  stopReason: string | null;
  exit: ServerExit | null;
  error: string | null;
  dataDir: { state: DataDirState; reason?: string };
  escalations: string[];
  times: Partial<Record<Phase | 'stopRequested' | 'serverExited' | 'quiet', string>>;
}

export const TERMINAL_PHASES: readonly Phase[] = ['done', 'failed'];

// Write status.json via a temp file and rename, so readers never see half a file.
export function writeStatusFile(path: string, status: Status): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(status, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

// Read status.json; null when missing or unreadable.
export function readStatusFile(path: string): Status | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Status;
  } catch {
    return null;
  }
}
