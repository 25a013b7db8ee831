// The backstop after a runner died without finishing (systemd ExecStopPost, or a launcher whose runner died):
// stop what is left of the server and apply the cleanup rule, marker-checked.
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive, readProcStat } from '../state/procstat.js';
import type { Spec } from '../state/spec.js';
import { readStatusFile } from '../state/status.js';
import { finishInstance, isStateDisposable, removeStateDir } from './finish.js';
import { Reporter } from './reporter.js';
import { sweepTaggedProcesses } from './server.js';

// Stop what is left of the server: its fast_stop_sig first (PostgreSQL's SIGQUIT releases its SysV shared
// memory, SIGKILL leaks it), SIGKILL to the whole group after the fast grace. Skipped when the pid now belongs
// to another process (start time differs); the leader may be gone or a zombie with children left in its group,
// and a pgid is never reused while in use.
async function killLeftoverServer(spec: Spec, pid: number | null, startTime: string | null): Promise<void> {
  if (!pid) return;
  const stat = readProcStat(pid);
  if (stat && startTime && stat.startTime !== startTime) return;
  if (isProcessAlive({ pid, startTime })) {
    try {
      process.kill(pid, spec.server.fastStopSignal);
    } catch {}
    const deadline = Date.now() + spec.fastGraceMs;
    while (isProcessAlive({ pid, startTime }) && Date.now() < deadline) await sleep(10);
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {}
}

/** The files a runner's state dir holds (the data dir aside); nothing else is removed without a spec. */
const STATE_FILE = /^(spec\.json|status\.json(\.\d+\.tmp)?|runner\.log|server\.log|lifeline\.sock)$/;

// True when dir holds watcher files but no spec: a runner killed inside its own state-dir removal (a launch writes
// the spec before any of the others exist), so nothing can be launching there.
export function isHalfRemovedStateDir(dir: string): boolean {
  try {
    const entries = readdirSync(dir);
    return (
      entries.length > 0 && !entries.includes('spec.json') && entries.every((name) => STATE_FILE.test(name))
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
  for (const entry of entries.filter((name) => STATE_FILE.test(name)))
    rmSync(join(dir, entry), { force: true });
  try {
    rmdirSync(dir);
  } catch {}
  return 0;
}

// Finish an instance whose runner is gone; when the runner finished itself, only complete its tidying.
export async function runPostStop(spec: Spec): Promise<number> {
  const path = `${spec.stateDir}/status.json`;
  if (!existsSync(spec.stateDir)) return 0;
  const status = readStatusFile(path);
  if (status?.phase === 'done' || status?.phase === 'failed') {
    // Killed between writing "done" and removing its state dir: remove it as the runner would have.
    if (isStateDisposable(spec, status, !status.times.ready)) removeStateDir(spec);
    return 0;
  }
  if (status && isProcessAlive({ pid: status.runnerPid, startTime: status.runnerStartTime })) return 0;
  await killLeftoverServer(spec, status?.serverPid ?? null, status?.serverStartTime ?? null);
  let strays = await sweepTaggedProcesses(spec.stateDir);
  // A server forked just before the runner died may not have exec'd yet (its environ is still untagged): look again.
  await new Promise((resolve) => setTimeout(resolve, 50));
  strays += await sweepTaggedProcesses(spec.stateDir);
  const report = new Reporter(spec.id, path, null);
  if (status) report.update({ ...status, runnerPid: process.pid, runnerStartTime: null });
  report.log('post-stop: the watcher did not finish; cleaning up after it');
  if (strays > 0)
    report.log(`post-stop: killed ${strays} stray server process(es) tagged with this instance`);
  return finishInstance(spec, report, { deleteData: status?.stopReason !== 'SIGINT', failed: false });
}
