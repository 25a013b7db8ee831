// MariaDB and Redis per-test databases, the same shape as PostgreSQL's: createDatabase() cold (pool 0) and from the
// warm pool, interleaved; each engine only once its admin is registered (hasPerTestDatabases) and its server installed.
import { spawnSync } from 'node:child_process';
import { hasPerTestDatabases } from '../dist/drivers/capabilities.js';
import { type Instance, startServer } from '../dist/index.js';
import { AREA, drainPool, timeCreate } from './databases-pg.js';
import { addCell, type Results } from './record.js';
import type { Sandbox } from './sandbox.js';

const POOL = 4;

interface Engine {
  driver: string;
  label: string;
  binary: string;
  /** The migration dir for engines that migrate; Redis has none. */
  migrate?: string;
  /** What a pool-0 create does on this engine. */
  cold: string;
}

// Why an engine's rows cannot run here, or null when they can.
function findSkipReason(engine: Engine): string | null {
  if (!hasPerTestDatabases(engine.driver))
    return `no per-test database admin registered for ${engine.driver} (src/drivers/admins.ts) in this build`;
  if (spawnSync('sh', ['-c', `command -v ${engine.binary}`]).status !== 0)
    return `${engine.binary} not on PATH`;
  return null;
}

// Start one instance of the engine in the sandbox.
function startEngine(sandbox: Sandbox, engine: Engine, pool: number): Promise<Instance> {
  return startServer({
    driver: engine.driver,
    backend: 'detached',
    stateRoot: sandbox.stateRoot,
    ...(engine.driver === 'redis' ? { port: 0 } : {}),
    ...(engine.migrate ? { migrate: engine.migrate } : {}),
    ...(pool ? { pool } : {}),
  } as Parameters<typeof startServer>[0]);
}

// Cold and pooled creates for one engine, alternating which goes first; then its cells.
async function runEngine(sandbox: Sandbox, results: Results, engine: Engine, trials: number): Promise<void> {
  const t0 = Date.now();
  const cold = await startEngine(sandbox, engine, 0);
  results.facts[`${engine.label}: first start ms`] = Date.now() - t0;
  results.facts[`${engine.label}: server`] = cold.info.server;
  const samples = { clone: [] as number[], pool: [] as number[] };
  let pooled: Instance | null = null;
  try {
    pooled = await startEngine(sandbox, engine, POOL);
    await drainPool(cold);
    for (let i = 0; i < trials; i++) {
      const order: ('clone' | 'pool')[] = i % 2 ? ['pool', 'clone'] : ['clone', 'pool'];
      for (const kind of order) {
        try {
          samples[kind].push(await timeCreate(kind === 'clone' ? cold : pooled, kind, i, results));
        } catch (error) {
          results.errors.push(`${engine.label} ${kind} trial ${i}: ${(error as Error).message}`);
        }
      }
    }
  } finally {
    await pooled?.stop().catch(() => {});
    await cold.stop().catch(() => {});
  }
  const base = `${engine.label}: createDatabase(), pool 0 (${engine.cold})`;
  addCell(results, { area: AREA, name: base, unit: 'ms', samples: samples.clone });
  addCell(results, {
    area: AREA,
    name: `${engine.label}: createDatabase(), pool ${POOL} (hand-out from the warm pool, full before each)`,
    unit: 'ms',
    samples: samples.pool,
    baseline: base,
  });
}

// Row 6: MariaDB (a schema per test from the migrated template schema) and Redis (a logical index per test).
export async function runEngineRows(
  sandbox: Sandbox,
  results: Results,
  mariadbMigrate: string,
  trials: number,
): Promise<void> {
  const engines: Engine[] = [
    {
      driver: 'mariadb',
      label: 'MariaDB, data on RAM (default)',
      binary: 'mariadbd',
      migrate: mariadbMigrate,
      cold: 'a schema copied from the migrated template now',
    },
    {
      driver: 'redis',
      label: 'Redis',
      binary: 'redis-server',
      cold: 'an index claimed and flushed now',
    },
  ];
  for (const engine of engines) {
    const why = findSkipReason(engine);
    if (why) {
      results.facts[`${engine.label}: rows skipped`] = why;
      process.stderr.write(`  ${engine.label}: skipped: ${why}\n`);
      continue;
    }
    await runEngine(sandbox, results, engine, trials).catch((error: Error) => {
      results.errors.push(`${engine.label}: ${error.message}`);
    });
  }
}
