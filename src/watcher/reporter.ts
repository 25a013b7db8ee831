// The runner's voice: status.json at every phase change, and timestamped lines on stderr.
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { createStatus, type Phase, type Status, writeStatusFile } from '../state/status.js';

// A sink that appends to a log file (never through a link); lines that cannot be written are dropped.
export function appendToLog(path: string): (line: string) => void {
  return (line) => {
    try {
      const flags = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;
      const fd = openSync(path, flags, 0o600);
      try {
        writeSync(fd, line);
      } finally {
        closeSync(fd);
      }
    } catch {}
  };
}

/** Holds the live status and writes it on every change. */
export class Reporter {
  readonly status: Status;

  constructor(
    readonly id: string,
    readonly path: string,
    watcherStartTime: string | null,
    /** Where log lines go: the watcher's stderr (the watcher log or journal), or a file when run from a launcher. */
    private readonly sink: (line: string) => void = (line) => process.stderr.write(line),
  ) {
    this.status = createStatus(id, 'starting', watcherStartTime);
    this.write();
  }

  // Merge fields into the status and write it; false when it could not be written.
  update(patch: Partial<Status>): boolean {
    Object.assign(this.status, patch);
    return this.write();
  }

  // Enter a phase, stamping its time.
  phase(phase: Phase, patch: Partial<Status> = {}): void {
    this.status.times[phase] = new Date().toISOString();
    this.update({ ...patch, phase });
  }

  // Stamp a named moment without changing the phase.
  stamp(name: keyof Status['times']): void {
    this.status.times[name] = new Date().toISOString();
  }

  // A line on stderr (the watcher log or the journal).
  log(message: string): void {
    this.sink(`${new Date().toISOString()} db-quick-watcher[${process.pid}] ${this.id}: ${message}\n`);
  }

  // Record an escalation of the stop ladder, in the log and status.json.
  escalate(message: string): void {
    this.log(message);
    this.status.escalations.push(message);
    this.write();
  }

  // Record an error unless quiet; always logged for the record when quiet.
  error(message: string): void {
    if (this.status.quiet) {
      this.log(`(quiet) ${message}`);
      return;
    }
    this.log(`error: ${message}`);
    this.update({ error: this.status.error ? `${this.status.error}; ${message}` : message });
  }

  /** Told when status.json cannot be written (a full disk): the watch treats it as a failed start until ready. */
  onWriteError: ((reason: string) => void) | undefined;

  private write(): boolean {
    try {
      writeStatusFile(this.path, this.status);
      return true;
    } catch (cause) {
      const reason = `cannot write ${this.path}: ${(cause as Error).message}`;
      this.sink(`db-quick-watcher ${this.id}: ${reason}\n`);
      this.onWriteError?.(reason);
      return false;
    }
  }
}
