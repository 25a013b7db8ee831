// "A suite run twice": run 1 with an empty cache (migrate + first database), run 2 with the same cache (the
// migration must run 0 times), and a plain startServer() measured interleaved with run 2 as the baseline.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Instance, startServer } from '../dist/index.js';
import { resolveRamRoot } from '../dist/launch/placement.js';
import { AREA } from './databases-pg.js';
import type { CountingMigration } from './databases-schema.js';
import { pollUntil } from './peer-pg.js';
import { addCell, type Results } from './record.js';
import type { Sandbox } from './sandbox.js';
import { summarize } from './stats.js';

const MIGRATE_KEY = 'bench-issue-13-v1';

/** One trial's own state root and cache (so run 1 really starts from nothing). */
interface TrialRoots {
  dir: string;
  stateRoot: string;
  cache: string;
}

// The spares dirs a trial's launches refill (its RAM root, and the state root's for data on disk).
function listSparesDirs(roots: TrialRoots): string[] {
  const ram = resolveRamRoot(roots.stateRoot);
  return [...(ram ? [join(ram, '.spares')] : []), join(roots.stateRoot, '.spares')];
}

// Wait until no spare refill of this trial runs (their temp names start with a dot); returns the spares there.
async function settleSpares(roots: TrialRoots): Promise<number> {
  const names = (): string[] => listSparesDirs(roots).flatMap((d) => (existsSync(d) ? readdirSync(d) : []));
  await pollUntil(() => !names().some((n) => n.startsWith('.')), 'spare refills');
  return names().length;
}

// Start (with the migration or plain) under the trial's roots and resolve once the first database is there.
async function timeFirstDatabase(
  roots: TrialRoots,
  migration: CountingMigration | null,
): Promise<{ ms: number; startMs: number; calls: number; how: string }> {
  const before = migration?.calls ?? 0;
  const t0 = performance.now();
  let instance: Instance | null = null;
  try {
    instance = await startServer({
      driver: 'postgresql',
      backend: 'detached',
      stateRoot: roots.stateRoot,
      ...(migration ? { migrate: migration.fn, migrateKey: MIGRATE_KEY } : {}),
    });
    const startMs = Math.round((performance.now() - t0) * 10) / 10;
    if (migration) await instance.createDatabase();
    const ms = Math.round((performance.now() - t0) * 10) / 10;
    const how = String((instance.info.server?.dataDir as { how?: string } | undefined)?.how);
    return { ms, startMs, calls: (migration?.calls ?? 0) - before, how };
  } finally {
    await instance?.stop();
  }
}

// Run fn with QUICKDB_WATCHER_CACHE pointing at the trial's cache.
async function withCache<T>(cache: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.QUICKDB_WATCHER_CACHE;
  process.env.QUICKDB_WATCHER_CACHE = cache;
  try {
    return await fn();
  } finally {
    process.env.QUICKDB_WATCHER_CACHE = saved;
  }
}

interface SuiteSamples {
  run1: number[];
  run2: number[];
  run2Start: number[];
  plain: number[];
  calls1: number[];
  calls2: number[];
  how: Record<string, number>;
}

// One trial: run 1 on an empty cache, then run 2 and the plain start in alternating order, spares settled first.
async function runTrial(
  roots: TrialRoots,
  migration: CountingMigration,
  i: number,
  s: SuiteSamples,
): Promise<void> {
  const r1 = await timeFirstDatabase(roots, migration);
  s.run1.push(r1.ms);
  s.calls1.push(r1.calls);
  const steps = [
    async () => {
      const r2 = await timeFirstDatabase(roots, migration);
      s.run2.push(r2.ms);
      s.run2Start.push(r2.startMs);
      s.calls2.push(r2.calls);
      s.how[`run 2: ${r2.how}`] = (s.how[`run 2: ${r2.how}`] ?? 0) + 1;
    },
    async () => {
      const plain = await timeFirstDatabase(roots, null);
      s.plain.push(plain.ms);
      s.how[`plain: ${plain.how}`] = (s.how[`plain: ${plain.how}`] ?? 0) + 1;
    },
  ];
  if (i % 2) steps.reverse();
  for (const step of steps) {
    await settleSpares(roots);
    await step();
  }
}

// Row 4: `trials` suites, each on its own fresh cache and state root, removed (spares included) after it.
export async function runSuiteTwice(
  sandbox: Sandbox,
  results: Results,
  migration: CountingMigration,
  trials: number,
): Promise<void> {
  const s: SuiteSamples = { run1: [], run2: [], run2Start: [], plain: [], calls1: [], calls2: [], how: {} };
  for (let i = 0; i < trials; i++) {
    const dir = join(sandbox.base, `suite-${i}`);
    const roots = { dir, stateRoot: join(dir, 'state'), cache: join(dir, 'cache') };
    mkdirSync(roots.stateRoot, { recursive: true });
    mkdirSync(roots.cache, { recursive: true });
    try {
      await withCache(roots.cache, () => runTrial(roots, migration, i, s));
    } catch (error) {
      results.errors.push(`suite run twice, trial ${i}: ${(error as Error).message}`);
    } finally {
      await settleSpares(roots).catch(() => 0);
      const ram = resolveRamRoot(roots.stateRoot);
      if (ram) rmSync(ram, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  results.facts['suite run twice: migration calls in run 1 (all trials)'] = sum(s.calls1);
  results.facts['suite run twice: migration calls in run 2 (all trials; must be 0)'] = sum(s.calls2);
  results.facts['suite run twice: data dirs came from'] = s.how;
  process.stderr.write(
    `  suite run twice: migration calls run 1 = ${sum(s.calls1)} over ${s.calls1.length} runs, run 2 = ${sum(s.calls2)} over ${s.calls2.length} runs\n`,
  );
  const plain = 'suite run twice: plain startServer() → ready (no migrate; plain snapshot, spare warm)';
  addCell(results, {
    area: AREA,
    name: 'suite run twice: run 1, empty cache: startServer({migrate}) + first createDatabase()',
    unit: 'ms',
    samples: s.run1,
    baseline: plain,
  });
  addCell(results, { area: AREA, name: plain, unit: 'ms', samples: s.plain });
  const p50 = summarize(s.plain).p50;
  addCell(results, {
    area: AREA,
    name: 'suite run twice: run 2, same cache: startServer({migrate}) + first createDatabase() (0 migration runs)',
    unit: 'ms',
    samples: s.run2,
    baseline: plain,
    target: { stat: 'p50', max: Math.round(p50 * 1.1 * 10) / 10, label: 'p50 ≤ plain p50 × 1.1' },
  });
  addCell(results, {
    area: AREA,
    name: 'suite run twice: run 2, of which startServer({migrate}) → ready (migrated snapshot, spare)',
    unit: 'ms',
    samples: s.run2Start,
    baseline: plain,
  });
  addCell(results, {
    area: AREA,
    name: 'suite run twice: run 2, of which the first createDatabase() (admin connect + pooled claim)',
    unit: 'ms',
    samples: s.run2.map((ms, k) => Math.round((ms - (s.run2Start[k] as number)) * 10) / 10),
  });
}
