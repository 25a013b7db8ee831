// Concurrency: 1, 8 and 32 `startServer()` calls at once in one process (PostgreSQL, detached backend, data on RAM)
// to all ready and `select 1` each, with spares sized to demand (`spares: N`, prepared untimed before the round) and
// without (today's single spare), interleaved in one run; ratios against the 1-at-once row.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Instance, startServer } from '../dist/index.js';
import { resolveRamRoot } from '../dist/launch/placement.js';
import { pollUntil } from './peer-pg.js';
import { measureBytes, readCpuMs, readCpuWithChildrenMs } from './proc.js';
import { addCell, type Results } from './record.js';
import { type Sandbox, withBackendEnv } from './sandbox.js';

interface Round {
  n: number;
  spares: number;
}

/** A round's samples over the trials. */
interface RoundSamples {
  ms: number[];
  /** Our CPU (seconds): this process, its clones, the watchers and postmasters. */
  cpuS: number[];
  taken: number[];
  /** The machine's 1-minute load average as the round began (others share it). */
  load: number[];
  /** Our CPU per start (ms): this process's share, a watcher, a postmaster. */
  library: number[];
  watchers: number[];
  servers: number[];
}

const ROUNDS: Round[] = [
  { n: 1, spares: 1 },
  { n: 8, spares: 8 },
  { n: 8, spares: 1 },
  { n: 32, spares: 32 },
  { n: 32, spares: 1 },
];
/** The issue's targets: all ready within this many times one start. */
const TARGETS: Record<number, number> = { 8: 2, 32: 6 };

const rowName = (r: Round): string =>
  `${r.n} at once → all ready + select 1, ${r.spares === r.n ? `spares: ${r.n} (demand)` : 'spares: 1 (one spare, as before)'}`;

async function selectOne(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    await client.end();
  }
}

// Start one server (spares as the round asks) and select 1 through it.
async function startOne(spares: number): Promise<Instance> {
  const instance = await startServer({ driver: 'postgresql', backend: 'detached', spares });
  await selectOne(instance.url as string);
  return instance;
}

// The spares dir's names once no refill runs (their locks and copies start with a dot).
async function settleSpares(dir: string): Promise<string[]> {
  const names = (): string[] => (existsSync(dir) ? readdirSync(dir) : []);
  await pollUntil(() => !names().some((n) => n.startsWith('.')), 'spare refills', 120_000);
  return names();
}

// Untimed: leave exactly the spares a round starts with: N made by a primer start asking for N, or the one spare.
async function prepareSpares(
  sandbox: Sandbox,
  dir: string,
  round: Round,
): Promise<{ count: number; bytes: number }> {
  for (const name of await settleSpares(dir)) rmSync(join(dir, name), { recursive: true, force: true });
  const primer = await withBackendEnv(sandbox, 'detached', () => startOne(round.spares));
  await primer.stop();
  await pollUntil(() => existsSync(dir) && readdirSync(dir).length >= round.spares, 'the spares', 120_000);
  const count = (await settleSpares(dir)).length;
  return { count, bytes: measureBytes(dir) };
}

// One timed round: n starts at once to all ready and select 1; stops and refills untimed after.
async function runRound(sandbox: Sandbox, dir: string, round: Round) {
  const ready = await prepareSpares(sandbox, dir, round);
  const own = readCpuWithChildrenMs('self');
  const load = loadavg()[0] as number;
  const t0 = performance.now();
  const instances = await withBackendEnv(sandbox, 'detached', () =>
    Promise.all(Array.from({ length: round.n }, () => startOne(round.spares))),
  );
  const ms = performance.now() - t0;
  // Our CPU: this process (the library, its clones), each watcher (its own) and each postmaster (with its startup).
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const library = readCpuWithChildrenMs('self') - own;
  const watchers = sum(instances.map((i) => readCpuMs(i.watcherPid) || 0));
  const servers = sum(instances.map((i) => (i.serverPid ? readCpuWithChildrenMs(i.serverPid) : 0)));
  const cpuMs = library + watchers + servers;
  const taken = instances.filter((i) => (i.info.server?.dataDir as { how?: string })?.how === 'spare').length;
  await Promise.all(instances.map((i) => i.stop()));
  const per = { library: library / round.n, watchers: watchers / round.n, servers: servers / round.n };
  return { ms, ready, taken, cpuS: cpuMs / 1000, load, ...per };
}

// Run the area: `trials` interleaved passes over the rounds, behind a holder instance that keeps the RAM root (and
// so its spares) alive between rounds, as any running instance of the state root does.
export async function runConcurrencyArea(sandbox: Sandbox, results: Results, trials: number): Promise<void> {
  const dir = join(resolveRamRoot(sandbox.stateRoot) as string, '.spares');
  const holder = await withBackendEnv(sandbox, 'detached', () => startOne(0));
  const samples = new Map<Round, RoundSamples>(
    ROUNDS.map((r) => [r, { ms: [], cpuS: [], taken: [], load: [], library: [], watchers: [], servers: [] }]),
  );
  try {
    for (let trial = 0; trial < trials; trial++)
      for (const round of trial % 2 ? [...ROUNDS].reverse() : ROUNDS) {
        const { ready, ...sample } = await runRound(sandbox, dir, round);
        const row = samples.get(round) as RoundSamples;
        for (const key of ['ms', 'cpuS', 'taken', 'load', 'library', 'watchers', 'servers'] as const)
          row[key].push(sample[key]);
        if (round.spares === round.n && round.n > 1 && trial === 0) recordSpareRam(results, round.n, ready);
      }
  } finally {
    await holder.stop();
  }
  recordRows(results, samples);
}

// The RAM the round's spares held (measured once they were all made), per spare and in all.
function recordSpareRam(results: Results, n: number, ready: { count: number; bytes: number }): void {
  const { count, bytes } = ready;
  const mb = (b: number): number => Math.round((b / 1048576) * 10) / 10;
  results.facts[`concurrency spares: ${n}`] = {
    spares: count,
    totalMB: mb(bytes),
    perSpareMB: mb(bytes / Math.max(1, count)),
  };
}

const p50 = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? Number.NaN;

// The cells: each round's wall time (ratio against one start, the issue's target) and our CPU per start.
function recordRows(results: Results, samples: Map<Round, RoundSamples>): void {
  const base = rowName(ROUNDS[0] as Round);
  const baseP50 = p50(samples.get(ROUNDS[0] as Round)?.ms ?? []);
  for (const [round, row] of samples) {
    const target = TARGETS[round.n];
    const cpu = p50(row.cpuS);
    addCell(results, {
      area: 'concurrency',
      name: rowName(round),
      unit: 'ms',
      samples: row.ms,
      ...(round.n > 1 ? { baseline: base } : {}),
      ...(target
        ? {
            target: {
              stat: 'p50' as const,
              max: Math.round(target * baseP50),
              label: `≤ ${target}× one start`,
            },
          }
        : {}),
      note: `spares taken p50 ${p50(row.taken)} of ${round.n}; our CPU p50 ${cpu.toFixed(1)} s, a floor of ${Math.round((cpu / 2) * 1000)} ms on 2 cores; load average p50 ${p50(row.load).toFixed(1)}`,
    });
    addCell(results, {
      area: 'concurrency',
      name: `${rowName(round)}: our CPU per start`,
      unit: 'ms',
      samples: row.cpuS.map((c) => (c * 1000) / round.n),
      note: `p50s: this process ${Math.round(p50(row.library))}, a watcher ${Math.round(p50(row.watchers))}, a postmaster ${Math.round(p50(row.servers))}`,
    });
  }
}
