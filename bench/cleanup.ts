// Cleanup latency after a parent SIGKILL, per liveness path (lifeline, PID watch) and per backend.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { killParent, spawnParent } from './parent.js';
import { checkRunning, findTraceTime, readProcState } from './proc.js';
import { addCell, type Results } from './record.js';
import { makeBackendEnv, type Sandbox, SERVER_FIXTURE } from './sandbox.js';

export interface CleanupSample {
  signalled: number;
  reaped: number;
  dataGone: number;
  watcherExited: number;
  stateGone: number;
}

// Start one polite server under a parent fixture, SIGKILL the parent, and time each cleanup step from the kill.
async function measureCleanupTrial(
  sandbox: Sandbox,
  backend: string,
  lifeline: boolean,
  n: number,
): Promise<CleanupSample> {
  const trace = join(sandbox.scratch, `trace-cleanup-${n}`);
  const parent = await spawnParent(
    {
      driver: 'command',
      args: [process.execPath, SERVER_FIXTURE, 'polite', '--trace', trace],
      readyLog: 'READY',
      backend,
      parent: 'self',
      lifeline,
      stateRoot: sandbox.stateRoot,
    },
    makeBackendEnv(sandbox, backend),
  );
  const { serverPid, watcherPid, dataDir, stateDir } = parent.info;
  await sleep(30);
  const t0 = killParent(parent);
  const seen: Partial<Record<keyof CleanupSample, number>> = {};
  const deadline = t0 + 20_000;
  while (Object.keys(seen).length < 4 && Date.now() < deadline) {
    const now = Date.now();
    if (seen.reaped === undefined && readProcState(serverPid) === null) seen.reaped = now;
    if (seen.dataGone === undefined && !existsSync(dataDir)) seen.dataGone = now;
    if (seen.watcherExited === undefined && !checkRunning(watcherPid)) seen.watcherExited = now;
    if (seen.stateGone === undefined && !existsSync(stateDir)) seen.stateGone = now;
    await sleep(1);
  }
  const signalledAt = findTraceTime(trace, /got SIG\w+, exiting/);
  rmSync(trace, { force: true });
  const since = (t: number | null | undefined): number => (t == null ? Number.NaN : t - t0);
  return {
    signalled: since(signalledAt),
    reaped: since(seen.reaped),
    dataGone: since(seen.dataGone),
    watcherExited: since(seen.watcherExited),
    stateGone: since(seen.stateGone),
  };
}

// Run every cleanup cell (backend x liveness path) for `trials` trials each and record the samples.
export async function runCleanupArea(
  sandbox: Sandbox,
  results: Results,
  trials: number,
  backends: string[],
): Promise<void> {
  for (const backend of backends) {
    for (const lifeline of [true, false]) {
      const path = lifeline ? 'lifeline' : 'pid-watch';
      const samples: CleanupSample[] = [];
      let failures = 0;
      for (let i = 0; i < trials; i++) {
        try {
          samples.push(await measureCleanupTrial(sandbox, backend, lifeline, i));
        } catch (error) {
          failures++;
          results.errors.push(`cleanup ${backend}/${path} trial ${i}: ${(error as Error).message}`);
        }
      }
      const note = `${samples.length} trials, ${failures} failed; pollMs 50 (default)`;
      const signalTarget = lifeline ? 25 : 120;
      addCell(results, {
        area: 'cleanup',
        name: `${backend} ${path}: parent SIGKILL → server signalled`,
        unit: 'ms',
        samples: samples.map((s) => s.signalled),
        target: { stat: 'p99', max: signalTarget, label: `p99 ≤ ${signalTarget} ms` },
        note,
      });
      addCell(results, {
        area: 'cleanup',
        name: `${backend} ${path}: parent SIGKILL → server reaped`,
        unit: 'ms',
        samples: samples.map((s) => s.reaped),
      });
      addCell(results, {
        area: 'cleanup',
        name: `${backend} ${path}: parent SIGKILL → data dir gone`,
        unit: 'ms',
        samples: samples.map((s) => s.dataGone),
        target: { stat: 'p50', max: 150, label: 'p50 ≤ 150 ms' },
      });
      addCell(results, {
        area: 'cleanup',
        name: `${backend} ${path}: parent SIGKILL → watcher exited, state dir gone`,
        unit: 'ms',
        samples: samples.map((s) => Math.max(s.watcherExited, s.stateGone)),
      });
      process.stderr.write(`  cleanup ${backend}/${path}: ${samples.length} ok, ${failures} failed\n`);
    }
  }
}
