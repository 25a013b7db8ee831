// Scale: N instances under one requester torn down by one mass SIGKILL; time to all gone, leftovers, watcher cost.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { measureBareNodeCost, measureCost } from './cost.js';
import type { ParentInfo } from './parent.js';
import { checkRunning, readProcState } from './proc.js';
import { addCell, type Results } from './record.js';
import { countLeftovers, ROOT, type Sandbox } from './sandbox.js';

// Spawn the mass parent and resolve with it and the infos of its n ready instances.
function spawnMassParent(
  n: number,
  options: Record<string, unknown>,
): Promise<{ child: ChildProcess; infos: ParentInfo[] }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench', 'mass-parent.ts'), String(n), JSON.stringify(options), '4'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) =>
      resolve({ child, infos: JSON.parse(line) as ParentInfo[] }),
    );
    child.once('exit', (code) => reject(new Error(`mass parent exited ${code}: ${stderr.slice(-500)}`)));
  });
}

// One scale round: start n instances, measure watcher cost while idle, SIGKILL the parent, time until all gone.
async function measureScaleRound(
  sandbox: Sandbox,
  results: Results,
  label: string,
  n: number,
  options: Record<string, unknown>,
  idleWindowMs: number,
): Promise<void> {
  const t0 = Date.now();
  const { child, infos } = await spawnMassParent(n, {
    backend: 'detached',
    stateRoot: sandbox.stateRoot,
    ...options,
  });
  const startAll = Date.now() - t0;
  await sleep(1000);
  const cost = await measureCost(
    infos.map((i) => i.watcherPid),
    idleWindowMs,
  );
  const kill = Date.now();
  child.kill('SIGKILL');
  const gone = new Map<string, number>();
  const deadline = kill + 120_000;
  while (Date.now() < deadline) {
    const now = Date.now();
    for (const info of infos) {
      if (!gone.has(`s${info.id}`) && info.serverPid && readProcState(info.serverPid) === null)
        gone.set(`s${info.id}`, now - kill);
      if (!gone.has(`d${info.id}`) && !existsSync(info.dataDir)) gone.set(`d${info.id}`, now - kill);
      if (!gone.has(`w${info.id}`) && !checkRunning(info.watcherPid) && !existsSync(info.stateDir))
        gone.set(`w${info.id}`, now - kill);
    }
    if (gone.size === 3 * infos.length) break;
    await sleep(2);
  }
  const allGone = Math.max(...gone.values());
  await sleep(2500); // let PID 1 reap the orphaned runners before counting
  const left = countLeftovers(sandbox);
  const pick = (p: string): number[] => infos.map((i) => gone.get(`${p}${i.id}`) ?? Number.NaN);
  results.facts[`scale ${label} N=${n}`] = {
    startAllMs: startAll,
    allGoneMs: gone.size === 3 * infos.length ? allGone : null,
    leftovers: left,
    stateEntriesAfter: readdirSync(sandbox.stateRoot).length,
  };
  const name = `${label} N=${n}`;
  addCell(results, {
    area: 'scale',
    name: `${name}: mass SIGKILL → each server reaped`,
    unit: 'ms',
    samples: pick('s'),
  });
  addCell(results, {
    area: 'scale',
    name: `${name}: mass SIGKILL → each data dir gone`,
    unit: 'ms',
    samples: pick('d'),
  });
  addCell(results, {
    area: 'scale',
    name: `${name}: mass SIGKILL → each watcher exited + state dir gone`,
    unit: 'ms',
    samples: pick('w'),
    note: `all gone at ${allGone} ms; leftovers processes ${left.processes}, state ${left.stateEntries}, data ${left.dataDirs}, units ${left.units}`,
  });
  addCell(results, {
    area: 'cost',
    name: `${name}: runner private dirty`,
    unit: 'MB',
    samples: cost.privateDirtyKb.map((k) => k / 1024),
    target: { stat: 'max', max: 10, label: '≤ 10 MB' },
  });
  addCell(results, {
    area: 'cost',
    name: `${name}: runner RSS (for contrast)`,
    unit: 'MB',
    samples: cost.rssKb.map((k) => k / 1024),
  });
  addCell(results, {
    area: 'cost',
    name: `${name}: runner CPU per idle minute`,
    unit: 'ms/min',
    samples: cost.cpuMsPerMinute,
    note: `idle window ${Math.round(cost.windowMs / 1000)} s, scaled to 60 s; 10 ms tick resolution`,
  });
  process.stderr.write(
    `  scale ${name}: started in ${startAll} ms, all gone ${allGone} ms, leftovers ${left.details.length}\n`,
  );
}

// Run the scale area: command instances at each N, then PostgreSQL clones, plus the bare-node cost baseline.
export async function runScaleArea(
  sandbox: Sandbox,
  results: Results,
  ns: number[],
  pgN: number,
  idleWindowMs: number,
): Promise<void> {
  const bare = await measureBareNodeCost(idleWindowMs);
  addCell(results, {
    area: 'cost',
    name: 'baseline: bare idle node private dirty',
    unit: 'MB',
    samples: bare.privateDirtyKb.map((k) => k / 1024),
  });
  addCell(results, {
    area: 'cost',
    name: 'baseline: bare idle node CPU per idle minute',
    unit: 'ms/min',
    samples: bare.cpuMsPerMinute,
  });
  const command = { driver: 'command', args: ['sleep', '100000'] };
  for (const n of [1, ...ns]) {
    try {
      await measureScaleRound(sandbox, results, 'command (sleep)', n, command, idleWindowMs);
    } catch (error) {
      results.errors.push(`scale command N=${n}: ${(error as Error).message}`);
    }
  }
  try {
    const slow = { ...command, pollMs: 1000 };
    await measureScaleRound(sandbox, results, 'command (sleep), pollMs 1000', ns[0] ?? 8, slow, idleWindowMs);
  } catch (error) {
    results.errors.push(`scale pollMs 1000: ${(error as Error).message}`);
  }
  if (pgN > 0) {
    try {
      await measureScaleRound(
        sandbox,
        results,
        'PostgreSQL clones',
        pgN,
        { driver: 'postgresql' },
        idleWindowMs,
      );
    } catch (error) {
      results.errors.push(`scale postgresql N=${pgN}: ${(error as Error).message}`);
    }
  }
}
