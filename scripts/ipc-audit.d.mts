// Types for ipc-audit.mjs (the leak audit's SysV IPC attribution), for the type-checked tests.
/** A watch over the SysV tables for the objects a sandbox makes. */
export interface IpcWatch {
  /** The ids attributed to the sandbox so far, as "shm ID" and "sem ID". */
  attributed(): string[];
  /** Stop watching; the attributed objects still present, as leak lines. */
  stop(): string[];
}
/** Watch the SysV tables every `everyMs` for objects made or used by processes of the sandbox dir `base`. */
export function watchIpc(base: string, everyMs?: number): IpcWatch;
