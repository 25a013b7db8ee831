// Peers area, the pg_tmp row (ephemeralpg, path from BENCH_PG_TMP): timed warm, on the spare it pre-initialised.
import type { ChildProcess } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  makeToolEnv,
  type PeerRow,
  pollUntil,
  type RunAs,
  runToolAs,
  type Started,
  spawnAs,
} from './peer-pg.js';
import { findProcesses } from './proc.js';
import type { Sandbox } from './sandbox.js';

// Why the row cannot run (BENCH_PG_TMP unset or not an executable), or undefined.
function findPgTmpProblem(path: string | undefined): string | undefined {
  if (!path)
    return 'BENCH_PG_TMP is unset: build pg_tmp with bench/peers/build-pg-tmp.sh SRC_DIR and export it';
  try {
    accessSync(path, constants.X_OK);
    return undefined;
  } catch {
    return `BENCH_PG_TMP=${path} is not an executable file`;
  }
}

// Run pg_tmp to its exit; the URL it prints (its background spare initdb keeps stderr, so wait for exit + stdout).
function runPgTmp(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-2000);
    });
    const ended = new Promise((r) => child.stdout?.once('end', r));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      void ended.then(() =>
        code === 0 ? resolve(out.trim()) : reject(new Error(`pg_tmp exited ${code}: ${err}`)),
      );
    });
  });
}

// True when pg_tmp's next spare is ready (a dir with NEW) and no pg_tmp initdb runs.
function isSpareReady(root: string, path: string): boolean {
  const spare = readdirSync(root).some((d) => existsSync(join(root, d, 'NEW')));
  return spare && findProcesses(`${path} initdb`).length === 0 && findProcesses(root).length === 0;
}

// The pg_tmp row: `pg_tmp -w 0` as the server's user with SYSTMP in the sandbox (ext4, like its default /tmp);
// stopped by `pg_ctl -m fast stop` and removed after each round (-w 0: no auto-stop job of its own).
export function makePgTmpRow(
  sandbox: Sandbox,
  name: string,
  note: string,
  runAs: RunAs | null,
  pgBin: string,
): PeerRow {
  const path = process.env.BENCH_PG_TMP;
  const skip = findPgTmpProblem(path);
  const root = join(sandbox.scratch, 'data-pg_tmp');
  const env = makeToolEnv(runAs, pgBin, { SYSTMP: root });
  const settle = (): Promise<void> =>
    pollUntil(() => isSpareReady(root, path as string), "pg_tmp's background initdb of its next spare");
  return {
    name,
    note,
    ...(skip ? { skip } : {}),
    open: async () => {
      mkdirSync(root, { mode: 0o755 });
      if (runAs) chownSync(root, runAs.uid, runAs.gid);
    },
    start: async (): Promise<Started> => {
      const child = spawnAs(runAs, [path as string, '-w', '0'], {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const url = new URL(await runPgTmp(child));
      const dir = url.searchParams.get('host') ?? '';
      if (!dir.startsWith(`${root}/`)) throw new Error(`pg_tmp printed ${url.href}, not a dir in ${root}`);
      return {
        target: {
          host: dir,
          port: 5432,
          user: runAs?.name ?? (process.env.USER as string),
          database: 'test',
        },
        where: dir,
        dirs: [dir],
        stop: async () => {
          const pgdata = readdirSync(dir).find((d) => existsSync(join(dir, d, 'PG_VERSION')));
          if (pgdata)
            runToolAs(
              runAs,
              [join(pgBin, 'pg_ctl'), '-D', join(dir, pgdata), '-m', 'fast', '-w', 'stop'],
              env,
            );
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
    settle,
    close: async () => {
      await settle().catch(() => {});
      for (const d of existsSync(root) ? readdirSync(root) : []) {
        const pid = join(
          root,
          d,
          readdirSync(join(root, d)).find((v) => /^\d/.test(v)) ?? '-',
          'postmaster.pid',
        );
        if (!existsSync(pid)) continue;
        try {
          runToolAs(
            runAs,
            [join(pgBin, 'pg_ctl'), '-D', join(pid, '..'), '-m', 'immediate', '-w', 'stop'],
            env,
          );
        } catch {}
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
