// The backstop: finish an instance whose watcher died without finishing (systemd's post-stop step, gc, or the
// launcher of a failed launch). The same steps as the watcher's own end, recorded as this actor's work.
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProvenAlive } from '../state/process/signal-guard.js';
import { getInstancePaths } from '../state/records/paths.js';
import type { Spec } from '../state/records/spec.js';
import {
  createStatus,
  type Finisher,
  isFinishedPhase,
  readStatusRecord,
  readWatcherRef,
  type Status,
} from '../state/records/status.js';
import { finishInstance } from './finish.js';
import { killLeftoverCgroup, killLeftoverServer, sweepTaggedProcesses } from './leftovers.js';
import { InstanceRecord, type LogSink } from './record.js';
import { isStateDisposable, removeStateDir } from './state-dir.js';

/** The backstops: everyone who may finish an instance but its watcher. */
export type Backstop = Exclude<Finisher, 'watcher'>;

// True while someone else is on the instance: its watcher, or another backstop that began finishing it.
function isSomeoneAtWork(status: Status): boolean {
  const watcher = readWatcherRef(status);
  if (watcher && isProvenAlive(watcher)) return true;
  // Our own pid is never "proven alive" (the guard refuses it), so a claim of this process does not count.
  return !!status.finishedBy && isProvenAlive(status.finishedBy);
}

// Finish an instance whose watcher is gone; when the watcher finished itself, only complete its tidying. Returns the
// exit code (0 clean, 1 failed); log lines go to `sink` (the watcher log for a launcher, never the user's stderr).
export async function finishAfterWatcher(spec: Spec, actor: Backstop, sink?: LogSink): Promise<number> {
  const path = getInstancePaths(spec.stateRoot, spec.id).status;
  if (!existsSync(spec.stateDir)) return 0;
  const reading = readStatusRecord(path);
  // An invalid status is not data: no pid in it is signalled; the tag sweep still finds the instance's processes.
  const status = reading.ok ? reading.value : null;
  if (status && isFinishedPhase(status.phase)) {
    // Killed between writing its outcome and removing its state dir: remove it as the watcher would have.
    if (isStateDisposable(spec, status, !status.times.ready)) removeStateDir(spec);
    return 0;
  }
  if (status && isSomeoneAtWork(status)) return 0;
  // The record stays the watcher's (its pid, its phases); a launch whose watcher never wrote one gets a fresh one.
  const record = new InstanceRecord(status ?? createStatus(spec.id, 'starting', null), path, actor, sink);
  // Written before anything is signalled: a second backstop that reads it stays out (isSomeoneAtWork).
  record.update({ finishedBy: record.makeFinishClaim() });
  record.log('the watcher did not finish; cleaning up after it');
  if (!reading.ok && !reading.missing) record.log(`status.json not used: ${reading.reason}`);
  const server = status?.serverPid ? { pid: status.serverPid, startTime: status.serverStartTime } : null;
  for (const refusal of await killLeftoverServer(spec, server)) record.log(refusal);
  let strays = await sweepTaggedProcesses(spec.stateDir);
  // A server forked just before the watcher died may not have exec'd yet (its environ is still untagged): look again.
  await sleep(50);
  strays += await sweepTaggedProcesses(spec.stateDir);
  const cgroup = await killLeftoverCgroup(spec, status?.cgroup);
  if (cgroup) record.log(cgroup);
  if (strays > 0) record.log(`killed ${strays} stray server process(es) tagged with this instance`);
  return finishInstance(spec, record, { deleteData: status?.stopReason !== 'SIGINT', failed: false });
}
