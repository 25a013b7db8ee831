// The backstop after a runner died without finishing (systemd ExecStopPost, or a launcher whose runner died):
// stop what is left of the server and apply the cleanup rule, marker-checked.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { deleteStateDir } from '../state/marker.js';
import { readStartTime } from '../state/procstat.js';
import { isProvenAlive, signalRecorded, signalRecordedGroup } from '../state/signal-guard.js';
import type { Spec } from '../state/spec.js';
import { readStatusRecord } from '../state/status.js';
import { killLeftoverCgroup } from './cgroup-scope.js';
import { finishInstance, isStateDisposable, removeStateDir } from './finish.js';
import { appendToLog, Reporter } from './reporter.js';
import { sweepTaggedProcesses } from './server.js';

// Stop what is left of the server: its fast_stop_sig first (PostgreSQL's SIGQUIT releases its SysV shared
// memory, SIGKILL leaks it), SIGKILL to the whole group after the fast grace. Every signal goes through the guard:
// nothing is sent unless the recorded pid and start time prove it is the server (its group only while its leader,
// alive or a zombie, proves it); strays are left to the tag sweep. Returns the refusals to report.
async function killLeftoverServer(
  spec: Spec,
  pid: number | null,
  startTime: string | null,
): Promise<string[]> {
  if (pid === null) return [];
  const server = { pid, startTime };
  const first = signalRecorded(server, spec.server.fastStopSignal, 'server', spec.stateDir);
  if (first.sent) {
    const deadline = Date.now() + spec.fastGraceMs;
    while (isProvenAlive(server) && Date.now() < deadline) await sleep(10);
  }
  const proof = { stateDir: spec.stateDir, provenEarlier: first.sent };
  const group = signalRecordedGroup(server, 'SIGKILL', 'server', proof);
  const refusals = [first, group].flatMap((o) => ('refused' in o ? [o.refused] : []));
  return refusals.filter((r, i) => refusals.indexOf(r) === i);
}

/** The files a runner's state dir holds (the data dir aside); nothing else is removed without a spec. */
const STATE_FILE =
  /^(spec\.json|status\.json(\.\d+\.tmp)?|runner\.log|server\.log|lifeline\.sock|launch\.json(\.\d+\.tmp)?)$/;

// True when dir holds watcher files but no spec: a runner killed inside its own state-dir removal (a launch writes
// the spec before any of the others exist), so nothing can be launching there. The launcher's claim alone is a launch.
export function isHalfRemovedStateDir(dir: string): boolean {
  try {
    const entries = readdirSync(dir);
    return (
      entries.some((name) => !name.startsWith('launch.json')) &&
      !entries.includes('spec.json') &&
      entries.every((name) => STATE_FILE.test(name))
    );
  } catch {
    return false;
  }
}

// Post-stop when the spec is gone: the runner was killed while removing its state dir after a clean finish (and
// systemd re-created runner.log for this step). Finish that removal, by file name; anything else keeps the dir.
export function tidyRemovedStateDir(specPath: string): number {
  if (basename(specPath) !== 'spec.json') return 0;
  const dir = dirname(specPath);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  // Through the one checked deletion; anything not a watcher file is kept, and with it the dir.
  deleteStateDir(
    dir,
    dirname(dir),
    entries.filter((name) => !STATE_FILE.test(name)),
  );
  return 0;
}

export interface PostStopOptions {
  /** Run from a launcher (gc, a failed launch): log to the instance's runner.log, never the user's stderr. */
  logToFile?: boolean;
}

// Finish an instance whose runner is gone; when the runner finished itself, only complete its tidying.
export async function runPostStop(spec: Spec, options: PostStopOptions = {}): Promise<number> {
  const path = `${spec.stateDir}/status.json`;
  if (!existsSync(spec.stateDir)) return 0;
  const reading = readStatusRecord(path);
  // An invalid status is not data: no pid in it is signalled; the tag sweep still finds the instance's processes.
  const status = reading.ok ? reading.value : null;
  if (status?.phase === 'done' || status?.phase === 'failed') {
    // Killed between writing "done" and removing its state dir: remove it as the runner would have.
    if (isStateDisposable(spec, status, !status.times.ready)) removeStateDir(spec);
    return 0;
  }
  if (status && isProvenAlive({ pid: status.watcherPid, startTime: status.watcherStartTime })) return 0;
  const refusals = await killLeftoverServer(spec, status?.serverPid ?? null, status?.serverStartTime ?? null);
  let strays = await sweepTaggedProcesses(spec.stateDir);
  // A server forked just before the runner died may not have exec'd yet (its environ is still untagged): look again.
  await new Promise((resolve) => setTimeout(resolve, 50));
  strays += await sweepTaggedProcesses(spec.stateDir);
  const cgroup = await killLeftoverCgroup(spec, status?.cgroup);
  const sink = options.logToFile ? appendToLog(`${spec.stateDir}/runner.log`) : undefined;
  const report = new Reporter(spec.id, path, null, sink);
  if (status)
    report.update({ ...status, watcherPid: process.pid, watcherStartTime: readStartTime(process.pid) });
  else report.update({ watcherStartTime: readStartTime(process.pid) });
  report.log('post-stop: the watcher did not finish; cleaning up after it');
  if (!reading.ok && !reading.missing) report.log(`post-stop: status.json not used: ${reading.reason}`);
  for (const refusal of refusals) report.log(`post-stop: ${refusal}`);
  if (cgroup) report.log(`post-stop: ${cgroup}`);
  if (strays > 0)
    report.log(`post-stop: killed ${strays} stray server process(es) tagged with this instance`);
  return finishInstance(spec, report, { deleteData: status?.stopReason !== 'SIGINT', failed: false });
}
