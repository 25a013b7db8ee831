// The shape of status.json: the watcher's phase, pids, times and outcome, and who finished the instance.

export type Phase =
  | 'prepared'
  | 'starting'
  | 'spawning'
  | 'waiting-ready'
  | 'ready'
  | 'server-exited'
  | 'stopping'
  | 'cleaning'
  | 'done'
  | 'failed';

/** 'deleting': a deletion started (ownership proven); seen only when the watcher was killed during it. */
export type DataDirState = 'present' | 'deleting' | 'kept' | 'deleted' | 'refused' | 'failed';

export interface ServerExit {
  code: number | null;
  signal: string | null;
  /** true when the server ended without being asked to. */
  unexpected: boolean;
}

/** Who finishes an instance: its watcher, or a backstop after the watcher died (systemd's post-stop step, gc, or
 *  the launcher whose launch failed). */
export type Finisher = 'watcher' | 'post-stop' | 'gc' | 'launcher';

/** The process that finished (or is finishing) an instance, and when it began. */
export interface FinishedBy {
  by: Finisher;
  pid: number;
  startTime: string | null;
  at: string;
}

export interface Status {
  id: string;
  phase: Phase;
  /** The watcher's pid; null when no watcher ever recorded itself (a backstop finished a launch that never ran). */
  watcherPid: number | null;
  watcherStartTime: string | null;
  serverPid: number | null;
  serverStartTime: string | null;
  quiet: boolean;
  stopReason: string | null;
  exit: ServerExit | null;
  error: string | null;
  dataDir: { state: DataDirState; reason?: string };
  escalations: string[];
  /** The instance's own cgroup v2 (detached backend, Linux), recorded before it is made; null or absent: none. */
  cgroup?: string | null;
  /** Why the instance has no cgroup of its own (detached backend): containment is not available. */
  cgroupProblem?: string | null;
  /** Set when the cleanup begins: by the watcher itself, or by the backstop that finished after it died. */
  finishedBy?: FinishedBy | null;
  times: Partial<Record<Phase | 'stopRequested' | 'serverExited' | 'quiet', string>>;
}

/** True for the phases after which nothing more happens to an instance ('done' or 'failed'). */
export function isFinishedPhase(phase: Phase | null | undefined): boolean {
  return phase === 'done' || phase === 'failed';
}

/** Every phase a status.json may hold ('prepared': made by `generate`, never started). */
export const PHASES: readonly Phase[] = [
  'prepared',
  'starting',
  'spawning',
  'waiting-ready',
  'ready',
  'server-exited',
  'stopping',
  'cleaning',
  'done',
  'failed',
];

/** Every state status.dataDir may be in. */
export const DATA_DIR_STATES: readonly DataDirState[] = [
  'present',
  'deleting',
  'kept',
  'deleted',
  'refused',
  'failed',
];

// A status at its first phase, before anything has happened: the watcher's start (watcher: this process), a prepared
// instance, or a backstop's record of a launch whose watcher never wrote one (watcher: null).
export function createStatus(
  id: string,
  phase: Phase,
  watcher: { pid: number; startTime: string | null } | null,
): Status {
  return {
    id,
    phase,
    watcherPid: watcher?.pid ?? null,
    watcherStartTime: watcher?.startTime ?? null,
    serverPid: null,
    serverStartTime: null,
    quiet: false,
    stopReason: null,
    exit: null,
    error: null,
    dataDir: { state: 'present' },
    escalations: [],
    times: { [phase]: new Date().toISOString() },
  };
}
