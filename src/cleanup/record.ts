// An instance's record while something acts on it: status.json kept current, and log lines naming who wrote them.
import { closeSync, writeSync } from 'node:fs';
import { openForAppend } from '../state/files/write-file.js';
import { readStartTime } from '../state/process/procstat.js';
import type { FinishedBy, Finisher, Phase, Status } from '../state/records/status.js';
import { writeStatusFile } from '../state/records/status.js';

/** Where log lines go: the watcher's stderr (its log file or the journal), or a file. */
export type LogSink = (line: string) => void;

/** The name each actor signs its log lines with. */
const VOICES: Record<Finisher, string> = {
  watcher: 'db-quick-watcher',
  'post-stop': 'db-quick-watcher --post-stop',
  gc: 'quickdb-watcher gc',
  launcher: 'quickdb-watcher launcher',
};

// A sink that appends to a log file (never through a link); lines that cannot be written are dropped.
export function appendToLog(path: string): LogSink {
  return (line) => {
    try {
      const fd = openForAppend(path);
      try {
        writeSync(fd, line);
      } finally {
        closeSync(fd);
      }
    } catch {}
  };
}

// A sink that writes to this process's stderr.
function writeToStderr(line: string): void {
  process.stderr.write(line);
}

/** Holds an instance's status and writes it on every change; `actor` says who this process is to the instance. */
export class InstanceRecord {
  /** Told when status.json cannot be written (a full disk): the watch treats it as a failed start until ready. */
  onWriteError: ((reason: string) => void) | undefined;

  constructor(
    readonly status: Status,
    readonly path: string,
    readonly actor: Finisher,
    private readonly sink: LogSink = writeToStderr,
  ) {}

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

  // Who finishes the instance: the claim already on record when it is this process's, else a new one naming it.
  makeFinishClaim(): FinishedBy {
    const mine = this.status.finishedBy;
    if (mine?.pid === process.pid) return mine;
    const at = new Date().toISOString();
    return { by: this.actor, pid: process.pid, startTime: readStartTime(process.pid), at };
  }

  // A log line, signed with this actor's name and pid.
  log(message: string): void {
    const voice = `${VOICES[this.actor]}[${process.pid}]`;
    this.sink(`${new Date().toISOString()} ${voice} ${this.status.id}: ${message}\n`);
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

  private write(): boolean {
    try {
      writeStatusFile(this.path, this.status);
      return true;
    } catch (cause) {
      const reason = `cannot write ${this.path}: ${(cause as Error).message}`;
      this.sink(`${VOICES[this.actor]} ${this.status.id}: ${reason}\n`);
      this.onWriteError?.(reason);
      return false;
    }
  }
}
