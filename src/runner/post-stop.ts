// The backstop after a runner died without finishing (systemd ExecStopPost, or a launcher whose runner died):
// stop what is left of the server and apply the cleanup rule, marker-checked.
import { existsSync } from 'node:fs';
import { isProcessAlive } from '../state/procstat.js';
import type { Spec } from '../state/spec.js';
import { readStatusFile } from '../state/status.js';
import { finishInstance } from './finish.js';
import { Reporter } from './reporter.js';

// SIGKILL the server's process group if the recorded server still runs (start time checked).
function killLeftoverServer(pid: number | null, startTime: string | null): void {
  if (!pid || !isProcessAlive({ pid, startTime })) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {}
}

// Finish an instance whose runner is gone; a no-op when the runner finished itself or still runs.
export function runPostStop(spec: Spec): number {
  const path = `${spec.stateDir}/status.json`;
  if (!existsSync(spec.stateDir)) return 0;
  const status = readStatusFile(path);
  if (status?.phase === 'done' || status?.phase === 'failed') return 0;
  if (status && isProcessAlive({ pid: status.runnerPid, startTime: status.runnerStartTime })) return 0;
  killLeftoverServer(status?.serverPid ?? null, status?.serverStartTime ?? null);
  const report = new Reporter(spec.id, path, null);
  if (status) report.update({ ...status, runnerPid: process.pid, runnerStartTime: null });
  report.log('post-stop: the watcher did not finish; cleaning up after it');
  return finishInstance(spec, report, { deleteData: status?.stopReason !== 'SIGINT', failed: false });
}
