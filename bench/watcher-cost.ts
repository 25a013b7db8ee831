// Watcher cost: idle CPU per liveness mode, PID-watch detection, and start-up; optionally against a baseline dist.
// Standalone: node --import tsx bench/watcher-cost.ts [trials] [cpuRounds] [windowMs]; QDW_BENCH_DISTS compares
// copies of dist/ side by side (each with a package.json and node_modules next to it).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { measureCost } from './cost.js';
import { findTraceTime } from './proc.js';
import { addCell, type Results } from './record.js';
import { ROOT, type Sandbox, SERVER_FIXTURE } from './sandbox.js';

type StartServer = (options: Record<string, unknown>) => Promise<{
  info: { stateDir: string };
  watcherPid: number;
  stop(): Promise<unknown>;
}>;

interface Variant {
  label: string;
  dist: string;
  startServer: StartServer;
}

const MODES: Record<string, (parentPid: number) => Record<string, unknown>> = {
  'lifeline held': () => ({}),
  'no parent': () => ({ parent: 'none' }),
  'PID watch (pollMs 50)': (pid) => ({ parent: pid, lifeline: false }),
  'PID watch (pollMs 100)': (pid) => ({ parent: pid, lifeline: false, pollMs: 100 }),
};

// The dists to compare: this checkout's, or QDW_BENCH_DISTS="label=/path/dist,label2=/other/dist" side by side.
async function loadVariants(): Promise<Variant[]> {
  const spec = process.env.QDW_BENCH_DISTS ?? `now=${join(ROOT, 'dist')}`;
  const out: Variant[] = [];
  for (const [label = '', dist = ''] of spec.split(',').map((d) => d.split('='))) {
    const mod = (await import(join(dist, 'index.js'))) as { startServer: StartServer };
    out.push({ label, dist, startServer: mod.startServer });
  }
  return out;
}

// Epoch ms of a phase in an instance's status.json, or NaN.
function readPhaseTime(stateDir: string, phase: string): number {
  try {
    const status = JSON.parse(readFileSync(join(stateDir, 'status.json'), 'utf8'));
    return Date.parse(status.times[phase]);
  } catch {
    return Number.NaN;
  }
}

// One CPU round: `perMode` idle watchers per mode and variant at once, measured over the same window.
async function measureIdleRound(
  sandbox: Sandbox,
  variants: Variant[],
  perMode: number,
  windowMs: number,
  into: Map<string, { cpu: number[]; dirtyMb: number[] }>,
): Promise<void> {
  const parent = spawn('sleep', ['100000'], { stdio: 'ignore' });
  const started: { key: string; instance: Awaited<ReturnType<StartServer>> }[] = [];
  try {
    for (let i = 0; i < perMode; i++)
      for (const [mode, options] of Object.entries(MODES))
        for (const v of variants) {
          const instance = await v.startServer({
            driver: 'command',
            args: ['sleep', '100000'],
            stateRoot: sandbox.stateRoot,
            backend: 'detached',
            ...options(parent.pid as number),
          });
          started.push({ key: `${v.label}: ${mode}`, instance });
        }
    await sleep(1000);
    // The first window holds the post-start GCs (V8's memory reducer); the second is the steady state.
    for (const when of ['first minute', 'steady']) {
      const cost = await measureCost(
        started.map((s) => s.instance.watcherPid),
        windowMs,
      );
      started.forEach((s, i) => {
        const key = `${s.key}, ${when}`;
        const cell = into.get(key) ?? { cpu: [], dirtyMb: [] };
        cell.cpu.push(cost.cpuMsPerMinute[i] as number);
        cell.dirtyMb.push((cost.privateDirtyKb[i] as number) / 1024);
        into.set(key, cell);
      });
    }
  } finally {
    await Promise.all(started.map((s) => s.instance.stop()));
    parent.kill('SIGKILL');
  }
}

// One detection trial: a PID-watched `sleep` parent is SIGKILLed; ms until the server got its stop signal.
async function measureDetection(sandbox: Sandbox, v: Variant, n: number, pollMs: number): Promise<number> {
  const trace = join(sandbox.scratch, `trace-watcher-cost-${v.label}-${n}-${pollMs}`);
  const parent = spawn('sleep', ['100000'], { stdio: 'ignore' });
  const instance = await v.startServer({
    driver: 'command',
    args: [process.execPath, SERVER_FIXTURE, 'polite', '--trace', trace],
    readyLog: 'READY',
    backend: 'detached',
    stateRoot: sandbox.stateRoot,
    parent: parent.pid,
    lifeline: false,
    pollMs,
  });
  await sleep(20 + (n % 7) * 13); // spread the kill over the poll phase
  const t0 = Date.now();
  parent.kill('SIGKILL');
  const deadline = t0 + 10_000;
  let at: number | null = null;
  while (at === null && Date.now() < deadline) {
    await sleep(2);
    at = findTraceTime(trace, /got SIG\w+, exiting/);
  }
  await instance.stop();
  rmSync(trace, { force: true });
  return at === null ? Number.NaN : at - t0;
}

// The watcher's bare start-up: spawn runner.js on a missing spec (it loads every module, then exits 2) to exit.
function measureStartup(v: Variant): number {
  const t0 = performance.now();
  spawnSync(process.execPath, [
    '--inspect-port=0',
    '--inspect-publish-uid=stderr',
    join(v.dist, 'runner.js'),
    '/nonexistent/spec.json',
  ]);
  return performance.now() - t0;
}

// Library call → the watcher's first status ('starting'), no parent so nothing else differs.
async function measureCallToStarting(sandbox: Sandbox, v: Variant): Promise<number> {
  const t0 = Date.now();
  const instance = await v.startServer({
    driver: 'command',
    args: ['sleep', '100000'],
    backend: 'detached',
    stateRoot: sandbox.stateRoot,
    parent: 'none',
  });
  const starting = readPhaseTime(instance.info.stateDir, 'starting');
  await instance.stop();
  return starting - t0;
}

// Run the watcher area: interleaved start-up and detection trials, then idle CPU rounds, for each variant.
export async function runWatcherArea(
  sandbox: Sandbox,
  results: Results,
  trials: number,
  cpuRounds: number,
  windowMs: number,
): Promise<void> {
  const variants = await loadVariants();
  const samples = new Map<string, number[]>();
  const push = (key: string, x: number): void => {
    samples.set(key, [...(samples.get(key) ?? []), x]);
  };
  for (let i = 0; i < trials; i++)
    for (const v of i % 2 ? [...variants].reverse() : variants) {
      push(`${v.label}: watcher spawn → exit on a missing spec (start-up)`, measureStartup(v));
      push(`${v.label}: library call → watcher 'starting'`, await measureCallToStarting(sandbox, v));
      for (const pollMs of [50, 100])
        push(
          `${v.label}: PID watch (pollMs ${pollMs}), parent SIGKILL → server signalled`,
          await measureDetection(sandbox, v, i, pollMs),
        );
    }
  for (const [name, s] of samples) addCell(results, { area: 'watcher', name, unit: 'ms', samples: s });
  const idle = new Map<string, { cpu: number[]; dirtyMb: number[] }>();
  for (let r = 0; r < cpuRounds; r++) await measureIdleRound(sandbox, variants, 2, windowMs, idle);
  for (const [key, { cpu, dirtyMb }] of idle) {
    addCell(results, { area: 'watcher', name: `${key}: CPU per idle minute`, unit: 'ms/min', samples: cpu });
    addCell(results, { area: 'watcher', name: `${key}: private dirty`, unit: 'MB', samples: dirtyMb });
  }
}

// Standalone run: a sandbox, the area, and a table on stdout.
async function runStandalone(argv: string[]): Promise<void> {
  const { createSandbox, destroySandbox } = await import('./sandbox.js');
  const { formatTable } = await import('./report.js');
  const sandbox = await createSandbox(false);
  const results: Results = {
    startedAt: new Date().toISOString(),
    host: '',
    node: process.version,
    cpus: 0,
    options: {},
    cells: [],
    facts: {},
    leftovers: {},
    errors: [],
  };
  try {
    await runWatcherArea(
      sandbox,
      results,
      Number(argv[0] ?? 20),
      Number(argv[1] ?? 3),
      Number(argv[2] ?? 60_000),
    );
  } finally {
    await destroySandbox(sandbox);
  }
  process.stdout.write(`${formatTable(results)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runStandalone(process.argv.slice(2));
