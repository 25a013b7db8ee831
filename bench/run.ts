// Bench entry: parses options, makes the sandbox, runs the chosen areas, audits leftovers and writes the results.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCleanupArea } from './cleanup.js';
import { runCliStartArea } from './cli-start.js';
import { runConcurrencyArea } from './concurrency.js';
import { runDatabasesArea } from './databases.js';
import { runTestDatabasesArea } from './databases-area.js';
import { runLaunchArea } from './launch.js';
import { runPeersArea } from './peers-area.js';
import type { Results } from './record.js';
import { applyBaselines, formatTable, writeResultsJson } from './report.js';
import { countLeftovers, createSandbox, destroySandbox, ROOT } from './sandbox.js';
import { runScaleArea } from './scale.js';
import { runSignalsArea } from './signals.js';
import { runWatcherArea } from './watcher-cost.js';

const ALL_AREAS = [
  'cleanup',
  'signals',
  'launch',
  'cli',
  'databases',
  'test-databases',
  'scale',
  'concurrency',
  'peers',
  'watcher',
];

// Read argv and BENCH_* env into the run's options (--quick, --areas a,b, --trials N).
export function parseOptions(argv: string[]): {
  areas: string[];
  trials: number;
  quick: boolean;
  out: string;
} {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: process.env.BENCH_QUICK === '1' },
      areas: { type: 'string', default: process.env.BENCH_AREAS ?? ALL_AREAS.join(',') },
      trials: { type: 'string', default: process.env.BENCH_TRIALS },
      out: { type: 'string', default: join(ROOT, 'bench', 'results') },
    },
  });
  const quick = values.quick ?? false;
  const trials = values.trials ? Number(values.trials) : quick ? 5 : 50;
  const areas = (values.areas ?? '').split(',').filter((a) => ALL_AREAS.includes(a));
  return { areas, trials, quick, out: values.out as string };
}

// Run the bench: every chosen area in order, then the leftover audit and the output files.
export async function runBench(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  const sandbox = await createSandbox(true);
  const backends = sandbox.manager ? ['detached', 'systemd'] : ['detached'];
  const results: Results = {
    startedAt: new Date().toISOString(),
    host: hostname(),
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    options: { ...options, backends, systemd: sandbox.managerWhy, sandbox: sandbox.base },
    cells: [],
    facts: {},
    leftovers: {},
    errors: [],
  };
  const { trials } = options;
  const scaled = (full: number): number => Math.max(3, Math.round((full * trials) / 50));
  try {
    for (const area of options.areas) {
      process.stderr.write(`area ${area}\n`);
      const before = Date.now();
      if (area === 'cleanup') await runCleanupArea(sandbox, results, trials, backends);
      if (area === 'signals') await runSignalsArea(sandbox, results, scaled(20));
      if (area === 'launch') await runLaunchArea(sandbox, results, scaled(20), backends);
      if (area === 'cli') await runCliStartArea(sandbox, results, scaled(30));
      if (area === 'databases') await runDatabasesArea(sandbox, results, scaled(15));
      if (area === 'test-databases') await runTestDatabasesArea(sandbox, results, trials);
      if (area === 'peers') await runPeersArea(sandbox, results, trials);
      if (area === 'concurrency') await runConcurrencyArea(sandbox, results, Math.min(trials, 20));
      if (area === 'watcher')
        await runWatcherArea(
          sandbox,
          results,
          scaled(30),
          options.quick ? 1 : 2,
          options.quick ? 10_000 : 60_000,
        );
      if (area === 'scale')
        await runScaleArea(
          sandbox,
          results,
          options.quick ? [8] : [8, 32, 64],
          options.quick ? 4 : 12,
          options.quick ? 5000 : 30_000,
        );
      results.leftovers[area] = countLeftovers(sandbox);
      results.facts[`${area}Seconds`] = Math.round((Date.now() - before) / 1000);
    }
  } finally {
    results.leftovers.final = countLeftovers(sandbox);
    await destroySandbox(sandbox);
  }
  applyBaselines(results);
  const file = writeResultsJson(results, options.out);
  process.stdout.write(`${formatTable(results)}\n\nleftovers: ${JSON.stringify(results.leftovers.final)}\n`);
  process.stdout.write(`errors: ${results.errors.length}\nwrote ${file}\n`);
  return results.errors.length ? 1 : 0;
}

process.exitCode = await runBench(process.argv.slice(2));
