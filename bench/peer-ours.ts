// Peers area, our rows: the library with its default placement, the library with data forced to disk, the CLI.
import { spawnSync } from 'node:child_process';
import { startServer } from '../dist/index.js';
import type { PeerRow, PgTarget, Started } from './peer-pg.js';
import { runNode } from './proc.js';
import type { Target } from './record.js';
import { CLI, makeBackendEnv, type Sandbox, withBackendEnv } from './sandbox.js';

interface StartedInfo {
  id: string;
  dataDir: string;
  stateDir: string;
  dataOn?: { on: string; why: string };
  env: Record<string, string>;
}

// The probe target from an instance's PG* environment.
function readPgTarget(env: Record<string, string>): PgTarget {
  return {
    host: env.PGHOST ?? '',
    port: Number(env.PGPORT),
    user: env.PGUSER ?? 'postgres',
    database: env.PGDATABASE ?? 'postgres',
    ...(env.PGPASSWORD ? { password: env.PGPASSWORD } : {}),
  };
}

// "ram /dev/shm/…/id (why)": where the status says the data dir is.
function describeWhere(info: StartedInfo): string {
  return `${info.dataOn?.on ?? '?'} ${info.dataDir}${info.dataOn ? ` (${info.dataOn.why})` : ''}`;
}

// Run fn with QUICKDB_WATCHER_DATA_ON set to `value` (unset for undefined), restoring it afterwards.
async function withDataOn<T>(value: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.QUICKDB_WATCHER_DATA_ON;
  if (value === undefined) delete process.env.QUICKDB_WATCHER_DATA_ON;
  else process.env.QUICKDB_WATCHER_DATA_ON = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.QUICKDB_WATCHER_DATA_ON;
    else process.env.QUICKDB_WATCHER_DATA_ON = saved;
  }
}

// A library row: `startServer({driver: 'postgresql'})` with XDG_RUNTIME_DIR unset (as in CI), state in the sandbox.
export function makeLibraryRow(
  sandbox: Sandbox,
  name: string,
  note: string,
  dataOn?: string,
  target?: Target,
): PeerRow {
  return {
    name,
    note,
    ...(target ? { target } : {}),
    start: async (): Promise<Started> => {
      const instance = await withBackendEnv(sandbox, 'detached', () =>
        withDataOn(dataOn, () => startServer({ driver: 'postgresql' })),
      );
      const info = instance.info as unknown as StartedInfo;
      return {
        target: readPgTarget(info.env),
        where: describeWhere(info),
        dirs: [info.dataDir, info.stateDir],
        stop: () => instance.stop().then(() => {}),
      };
    },
  };
}

// Run the CLI to its exit; its stdout, or a rejection with its stderr.
async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const run = await runNode([CLI, ...args], env);
  if (run.code !== 0) throw new Error(`quickdb-watcher ${args[0]} exited ${run.code}: ${run.stderr}`);
  return run.stdout;
}

// The CLI row: `quickdb-watcher up --parent none --format json` to its exit, then (untimed) `quickdb-watcher stop ID`.
export function makeCliRow(sandbox: Sandbox, name: string, note: string): PeerRow {
  const env = makeBackendEnv(sandbox, 'detached');
  delete env.QUICKDB_WATCHER_DATA_ON;
  return {
    name,
    note,
    start: async (): Promise<Started> => {
      const info = JSON.parse(
        await runCli(['up', '--parent', 'none', '--format', 'json'], env),
      ) as StartedInfo;
      return {
        target: readPgTarget(info.env),
        where: describeWhere(info),
        dirs: [info.dataDir, info.stateDir],
        stop: async () => {
          const r = spawnSync(process.execPath, [CLI, 'stop', info.id], { env, encoding: 'utf8' });
          if (r.status !== 0)
            throw new Error(`quickdb-watcher stop ${info.id} exited ${r.status}: ${r.stderr}`);
        },
      };
    },
  };
}
