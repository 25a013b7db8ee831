// The backstop run by an init system after the runner is gone (systemd ExecStopPost): cleanup rule, marker-checked.
import { isProcessAlive } from '../state/procstat.js';
import type { Spec } from '../state/spec.js';
import { readStatusFile } from '../state/status.js';
import { finishInstance } from './finish.js';
import { Reporter } from './reporter.js';

// Finish an instance whose runner died without finishing; a no-op when it finished itself.
export function runPostStop(spec: Spec): number {
  const status = readStatusFile(`${spec.stateDir}/status.json`);
  if (!status || status.phase === 'done' || status.phase === 'failed') return 0;
  if (isProcessAlive({ pid: status.runnerPid, startTime: status.runnerStartTime })) return 0;
  if (status.serverPid) {
    try {
      process.kill(-status.serverPid, 'SIGKILL');
    } catch {}
  }
  const report = new Reporter(spec.id, `${spec.stateDir}/status.json`, null);
  report.update({ ...status, runnerPid: process.pid, escalations: status.escalations });
  report.log('post-stop: the runner did not finish; cleaning up after it');
  const keep = status.stopReason === 'SIGINT';
  return finishInstance(spec, report, { deleteData: !keep, failed: false });
}
