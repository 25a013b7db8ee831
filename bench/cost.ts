// Watcher cost: private dirty memory and CPU per idle minute of runners, against a bare idle node process.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { readCpuMs, readPrivateDirtyKb, readRssKb } from './proc.js';

export interface CostSample {
  privateDirtyKb: number[];
  rssKb: number[];
  cpuMsPerMinute: number[];
  windowMs: number;
}

// Measure private dirty and RSS now, and CPU over an idle window scaled to one minute, for each pid.
export async function measureCost(pids: number[], windowMs: number): Promise<CostSample> {
  const privateDirtyKb = pids.map(readPrivateDirtyKb);
  const rssKb = pids.map(readRssKb);
  const before = pids.map(readCpuMs);
  const t0 = Date.now();
  await sleep(windowMs);
  const elapsed = Date.now() - t0;
  const cpuMsPerMinute = pids.map((pid, i) => ((readCpuMs(pid) - (before[i] as number)) * 60_000) / elapsed);
  return { privateDirtyKb, rssKb, cpuMsPerMinute, windowMs: elapsed };
}

// Baseline: a bare idle node process (`node -e setInterval`) measured the same way.
export async function measureBareNodeCost(windowMs: number): Promise<CostSample> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
  await sleep(1000);
  try {
    return await measureCost([child.pid as number], windowMs);
  } finally {
    child.kill('SIGKILL');
  }
}
