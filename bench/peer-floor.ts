// Peers area, floor rows: `cp -a` of our cached PostgreSQL snapshot, then `postgres` on it (ext4 and tmpfs).

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildPgSettingArgs } from '../dist/drivers/postgresql/settings.js';
import { META_NAME, resolveSnapshotsDir } from '../dist/drivers/snapshots/location.js';
import { startServer } from '../dist/index.js';
import { makeToolEnv, type PeerRow, type RunAs, type Started, spawnAs, stopChild } from './peer-pg.js';

/** A cached PostgreSQL snapshot: its data dir, the bin dir it was made with, and its key. */
export interface PgSnapshot {
  data: string;
  bin: string;
  key: string;
}

// The newest postgresql snapshot in the snapshot cache (or the one named `want`), or null when there is none.
function scanPgSnapshots(want?: string): PgSnapshot | null {
  const dir = resolveSnapshotsDir();
  if (!existsSync(dir)) return null;
  const found: (PgSnapshot & { createdAt: string })[] = [];
  for (const key of readdirSync(dir)) {
    const meta = join(dir, key, META_NAME);
    if (!key.startsWith('postgresql-') || !existsSync(meta) || !existsSync(join(dir, key, 'data'))) continue;
    if (want !== undefined && key !== want) continue;
    const m = JSON.parse(readFileSync(meta, 'utf8')) as { createdAt: string; config: { bin: string } };
    found.push({ data: join(dir, key, 'data'), bin: m.config.bin, key, createdAt: m.createdAt });
  }
  found.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const newest = found[0];
  return newest ? { data: newest.data, bin: newest.bin, key: newest.key } : null;
}

// The snapshot our library's default PostgreSQL uses (the same binaries as the rows it is compared with): one
// library start builds it when the cache has none, and names it.
export async function findPgSnapshot(): Promise<PgSnapshot> {
  const instance = await startServer({ driver: 'postgresql' });
  await instance.stop();
  const key = (instance.info.server?.dataDir as { snapshot?: string } | undefined)?.snapshot;
  const built = scanPgSnapshots(key);
  if (!built)
    throw new Error(`no postgresql snapshot in ${resolveSnapshotsDir()} even after a library start`);
  return built;
}

// Copy the snapshot into a fresh dir under `parent` with `cp -a` and start `postgres` on it (our settings, socket only).
async function startFloor(
  snap: PgSnapshot,
  parent: string,
  runAs: RunAs | null,
  round: number,
): Promise<Started> {
  const base = join(parent, `data-floor-${round}-${randomBytes(3).toString('hex')}`);
  const remove = (): void => rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { mode: 0o755 });
  if (runAs) chownSync(base, runAs.uid, runAs.gid);
  const pgdata = join(base, 'pgdata');
  const cp = spawnSync('cp', ['-a', snap.data, pgdata], { encoding: 'utf8' });
  if (cp.status !== 0) {
    remove();
    throw new Error(`cp -a ${snap.data} ${pgdata} exited ${cp.status}: ${cp.stderr}`);
  }
  const argv = [
    join(snap.bin, 'postgres'),
    '-D',
    pgdata,
    '-k',
    base,
    '-p',
    '5432',
    ...buildPgSettingArgs({}),
    '-c',
    'listen_addresses=',
  ];
  const child = spawnAs(runAs, argv, {
    cwd: pgdata,
    env: makeToolEnv(runAs, snap.bin, { LC_ALL: 'C' }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-2000);
  });
  return {
    target: { host: base, port: 5432, user: 'postgres', database: 'postgres' },
    where: base,
    dirs: [base],
    check: () => {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`postgres exited ${child.exitCode ?? child.signalCode}: ${log}`);
    },
    stop: async () => {
      await stopChild(child, 'SIGINT');
      remove();
    },
  };
}

// A floor row: every start copies the snapshot into `parent` (ext4 or tmpfs) and starts postgres there.
export function makeFloorRow(
  name: string,
  note: string,
  parent: string,
  snap: PgSnapshot,
  runAs: RunAs | null,
): PeerRow {
  return { name, note, start: (round) => startFloor(snap, parent, runAs, round) };
}
