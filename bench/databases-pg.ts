// Per-test PostgreSQL databases: raw CREATE DATABASE … TEMPLATE (FILE_COPY vs WAL_LOG), createDatabase() cold and
// from the warm pool, and a connect to a pre-created database; data on RAM and on disk, interleaved per trial.
import type pg from 'pg';
import { type Instance, startServer } from '../dist/index.js';
import { connectPg, countContents } from './databases-schema.js';
import { addCell, type Results } from './record.js';
import type { Sandbox } from './sandbox.js';

export const AREA = 'test-databases';
/** The warm pool size the hand-out rows use. */
const POOL = 4;

// Milliseconds an async step takes, to 0.01 ms.
export async function timeMs(step: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await step();
  return Math.round((performance.now() - t0) * 100) / 100;
}

// Start a migrated PostgreSQL instance in the sandbox (the first call builds the migrated snapshot).
function startMigratedPg(
  sandbox: Sandbox,
  migrate: unknown,
  extra: Record<string, unknown>,
): Promise<Instance> {
  return startServer({
    driver: 'postgresql',
    backend: 'detached',
    stateRoot: sandbox.stateRoot,
    migrate,
    ...extra,
  } as Parameters<typeof startServer>[0]);
}

type Kind = 'FILE_COPY' | 'WAL_LOG' | 'cold' | 'pool' | 'connect';
const KINDS: Kind[] = ['FILE_COPY', 'WAL_LOG', 'cold', 'pool', 'connect'];

/** Another tool's step timed in the same trials and rotation as ours (PGlite's), against our pool-0 create. */
export interface SideStep {
  name: string;
  note: string;
  /** Why it cannot run here: its cell says so, it is left out of the rotation. */
  skip?: string;
  time(): Promise<number>;
}

interface Placement {
  cold: Instance;
  pooled: Instance;
  admin: pg.Client;
  precreated: string;
}

// Take every pooled database a migrated snapshot ships with, so pool-0 creates really clone.
export async function drainPool(instance: Instance): Promise<void> {
  while ((await instance.listDatabases()).some((d) => d.pooled))
    await (await instance.createDatabase()).drop();
}

// One timed step of a kind; checks a create came from where the row says.
async function timeKind(kind: Kind, p: Placement, trial: number, results: Results): Promise<number> {
  if (kind === 'FILE_COPY' || kind === 'WAL_LOG') {
    const name = `bench_raw_${kind.toLowerCase()}_${trial}`;
    const ms = await timeMs(() =>
      p.admin.query(`CREATE DATABASE "${name}" TEMPLATE quickdb_template STRATEGY ${kind}`),
    );
    await p.admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
    return ms;
  }
  if (kind === 'connect')
    return timeMs(async () => {
      const client = await connectPg(p.cold.env, p.precreated);
      await client.query('SELECT 1');
      await client.end();
    });
  return timeCreate(kind === 'cold' ? p.cold : p.pooled, kind === 'cold' ? 'clone' : 'pool', trial, results);
}

// Time one createDatabase() with the pool full and nothing refilling (the refill it starts runs untimed after),
// then drop it; a database from elsewhere than `expect` is an error of the run.
export async function timeCreate(
  instance: Instance,
  expect: 'clone' | 'pool',
  trial: number,
  results: Results,
): Promise<number> {
  await instance.settlePool();
  let from = '';
  let drop = async (): Promise<void> => {};
  const ms = await timeMs(async () => {
    const db = await instance.createDatabase();
    from = db.from;
    drop = () => db.drop();
  });
  await instance.settlePool();
  await drop();
  if (from !== expect)
    results.errors.push(`${instance.info.driver} create trial ${trial}: came from ${from}, not ${expect}`);
  return ms;
}

// Start the two instances of one placement (pool 0 and pool POOL) and the raw admin connection.
async function openPlacement(
  sandbox: Sandbox,
  migrate: string,
  dataOn: string | undefined,
  results: Results,
  label: string,
): Promise<Placement> {
  const on = dataOn ? { dataOn } : {};
  const t0 = Date.now();
  const cold = await startMigratedPg(sandbox, migrate, on);
  results.facts[`${label}: first migrated start (builds the migrated snapshot when missing) ms`] =
    Date.now() - t0;
  const p: Partial<Placement> = { cold };
  try {
    p.pooled = await startMigratedPg(sandbox, migrate, { ...on, pool: POOL });
    await drainPool(cold);
    const pre = await cold.createDatabase();
    p.precreated = pre.name;
    results.facts[`${label}: a clone holds`] = await countContents(cold.env, pre.name);
    results.facts[`${label}: server`] = cold.info.server;
    p.admin = await connectPg(cold.env, 'postgres');
    return p as Placement;
  } catch (error) {
    await closePlacement(p);
    throw error;
  }
}

// Close the admin connection and stop both instances.
async function closePlacement(p: Partial<Placement>): Promise<void> {
  await p.admin?.end().catch(() => {});
  await p.pooled?.stop().catch(() => {});
  await p.cold?.stop().catch(() => {});
}

// Rows 1–3 for one placement: every kind once per trial, the order rotated, then the cells.
export async function runPgPlacement(
  sandbox: Sandbox,
  results: Results,
  migrate: string,
  dataOn: string | undefined,
  trials: number,
  side: SideStep[] = [],
): Promise<void> {
  const label =
    dataOn === 'disk' ? 'PostgreSQL 15, data on disk (ext4)' : 'PostgreSQL 15, data on RAM (default)';
  const p = await openPlacement(sandbox, migrate, dataOn, results, label);
  const samples: Record<Kind, number[]> = { FILE_COPY: [], WAL_LOG: [], cold: [], pool: [], connect: [] };
  const sideSamples = new Map<SideStep, number[]>(side.map((step) => [step, []]));
  const steps: (Kind | SideStep)[] = [...KINDS, ...side.filter((step) => !step.skip)];
  try {
    for (let i = 0; i < trials; i++)
      for (let k = 0; k < steps.length; k++) {
        const step = steps[(i + k) % steps.length] as Kind | SideStep;
        try {
          if (typeof step === 'string') samples[step].push(await timeKind(step, p, i, results));
          else sideSamples.get(step)?.push(await step.time());
        } catch (error) {
          const what = typeof step === 'string' ? step : step.name;
          results.errors.push(`${label} ${what} trial ${i}: ${(error as Error).message}`);
        }
      }
  } finally {
    await closePlacement(p);
  }
  const ram = dataOn !== 'disk';
  const wal = `${label}: raw CREATE DATABASE … TEMPLATE STRATEGY WAL_LOG (one pg connection)`;
  const fileCopy = `${label}: raw CREATE DATABASE … TEMPLATE STRATEGY FILE_COPY (one pg connection)`;
  const cold = `${label}: createDatabase(), pool 0 (a clone now)`;
  addCell(results, { area: AREA, name: wal, unit: 'ms', samples: samples.WAL_LOG });
  addCell(results, { area: AREA, name: fileCopy, unit: 'ms', samples: samples.FILE_COPY, baseline: wal });
  addCell(results, {
    area: AREA,
    name: cold,
    unit: 'ms',
    samples: samples.cold,
    baseline: fileCopy,
    ...(ram ? { target: { stat: 'p50' as const, max: 20, label: 'p50 ≤ 20 ms on RAM' } } : {}),
  });
  addCell(results, {
    area: AREA,
    name: `${label}: createDatabase(), pool ${POOL} (hand-out from the warm pool, full before each)`,
    unit: 'ms',
    samples: samples.pool,
    baseline: cold,
    target: { stat: 'p50', max: 2, label: 'p50 ≤ 2 ms' },
  });
  for (const [step, stepSamples] of sideSamples)
    addCell(results, {
      area: AREA,
      name: step.name,
      unit: 'ms',
      samples: stepSamples,
      baseline: cold,
      note: step.skip ? `SKIPPED: ${step.skip}` : step.note,
    });
  addCell(results, {
    area: AREA,
    name: `${label}: pg connect + SELECT 1 to a pre-created database (for scale)`,
    unit: 'ms',
    samples: samples.connect,
  });
}
