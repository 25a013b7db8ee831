// What a server can leave behind, and its removal: the server itself, processes tagged with the instance, and the
// instance's cgroup. Every signal goes through the signal guard or the instance tag; nothing is guessed.
import { setTimeout as sleep } from 'node:timers/promises';
import { killInstanceCgroup } from '../state/process/cgroup-kill.js';
import { INSTANCE_TAG } from '../state/process/instance-tags.js';
import { findProcessesWithEnv, type ProcessRef } from '../state/process/procstat.js';
import { isProvenAlive, signalRecorded, signalRecordedGroup } from '../state/process/signal-guard.js';
import type { Spec } from '../state/records/spec.js';

// SIGKILL every process still tagged with this instance (children that left the group, or a server whose
// pid was never recorded), in rounds until one finds none: a process can fork between a scan and its kill.
export async function sweepTaggedProcesses(stateDir: string): Promise<number> {
  let total = 0;
  for (let round = 0; round < 6; round++) {
    const pids = findProcessesWithEnv(INSTANCE_TAG, stateDir);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
    total += pids.length;
    await sleep(20);
  }
  return total;
}

// After its watcher died, stop what is left of the server: its fast_stop_sig first (PostgreSQL's SIGQUIT releases
// its SysV shared memory, SIGKILL leaks it), SIGKILL to the whole group after the fast grace. Nothing is sent unless
// the recorded pid and start time prove it is the server (its group only while its leader, alive or a zombie,
// proves it); strays are left to the tag sweep. Returns the refusals to report.
export async function killLeftoverServer(spec: Spec, server: ProcessRef | null): Promise<string[]> {
  if (server === null) return [];
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

// After its watcher died, kill what is left in its recorded cgroup; returns a line for the log, or null when there
// was none. Never a guessed path: without a record, nothing proves which watcher made it.
export async function killLeftoverCgroup(
  spec: Spec,
  recorded: string | null | undefined,
): Promise<string | null> {
  if (spec.backend !== 'detached' || !recorded) return null;
  const result = await killInstanceCgroup(recorded, spec);
  if (typeof result === 'string') return result;
  return result > 0 ? `killed ${result} process(es) left in the server's cgroup or below it` : null;
}
