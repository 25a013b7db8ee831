// Running a real test runner inside a fresh project, and proving what its servers left (nothing) afterwards.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { belongsToSandbox } from '../../scripts/sandbox.mjs';
import { listStateEntries } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { isRunning, killIfRunning } from '../helpers/proc.js';
import { cleanEnv, type Project } from './project.js';

export type RunnerName = 'vitest' | 'jest' | 'node-test';

/** One server the run started, as its state root recorded it, with the shared memory its processes mapped. */
export interface ServerSeen {
  id: string;
  stateDir: string;
  dataDir: string;
  watcherPid: number;
  serverPid: number;
  shm: string[];
  ipc: string[];
}

/** One test's line in the report (test/fixtures/projects/report.cjs). */
export interface TestSeen {
  file: string;
  /** The worker: pid.threadId (vitest's threads pool runs its workers in one process). */
  worker: string;
  database: string;
  dataDirectory: string;
}

export interface RunnerRun {
  child: ChildProcess;
  stateRoot: string;
  output: () => string;
  tests: () => TestSeen[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// How a user starts each runner from the project's <runner>/ dir (the bins npm installed), as node arguments.
const ARGS: Record<RunnerName, (project: Project, cache: string) => string[]> = {
  vitest: (p) => [join(p.dir, 'node_modules/vitest/vitest.mjs'), 'run'],
  jest: (p, cache) => [
    ...(p.kind === 'esm' ? ['--experimental-vm-modules'] : []), // jest's documented way to run native ESM
    join(p.dir, 'node_modules/jest/bin/jest.js'),
    '--cacheDirectory',
    cache,
  ],
  // TypeScript: what tsc emitted (Node 20 runs no .ts); test/package/tarball.test.ts compiles it first.
  'node-test': (p) => [
    '--test',
    '--test-concurrency=2',
    ...(p.kind === 'ts' ? ['dist/a.test.js', 'dist/b.test.js'] : []),
  ],
};

/** Start the runner in <project>/<runner>/ with a private state root; hold: the tests wait once connected; extra: more
 *  runner arguments (another config file). */
export function startRunner(
  t: TestContext,
  project: Project,
  runner: RunnerName,
  hold = false,
  extra: string[] = [],
): RunnerRun {
  // Beside the project, short: a PostgreSQL socket path under the state root must stay within 107 bytes.
  const dir = mkdtempSync(join(dirname(project.dir), 'r-'));
  chmodSync(dir, 0o711); // as root, the postgres user must reach the state root below
  const stateRoot = join(dir, 's');
  const report = join(dir, 'report.jsonl');
  const holdFile = join(dir, 'hold');
  if (hold) writeFileSync(holdFile, '');
  const env = cleanEnv({
    QUICKDB_WATCHER_STATE: stateRoot,
    QDW_PKG_REPORT: report,
    TMPDIR: dir, // the runners' own temp files (vitest leaves some when killed) go with the run's dir
    ...(hold ? { QDW_PKG_HOLD: holdFile } : {}),
  });
  const child = spawn(process.execPath, [...ARGS[runner](project, join(dir, 'cache')), ...extra], {
    cwd: join(project.dir, runner),
    env,
    detached: true, // its own process group, so whatever a failed test leaves can be killed
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr])
    stream?.setEncoding('utf8').on('data', (d: string) => {
      output += d;
    });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const tests = (): TestSeen[] =>
    existsSync(report)
      ? readFileSync(report, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as TestSeen)
      : [];
  t.after(() => {
    rmSync(holdFile, { force: true });
    try {
      process.kill(-(child.pid as number), 'SIGKILL'); // the runner and its workers, if still there
    } catch {}
    for (const s of listServers(stateRoot)) {
      killIfRunning(s.watcherPid);
      killIfRunning(s.serverPid);
    }
  });
  return { child, stateRoot, output: () => output, tests, exited };
}

// A JSON file's object, or null while it is missing or half-written.
function readJson(path: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

// The shared memory files under /dev/shm a process maps (PostgreSQL's dynamic shared memory).
function mappedShm(pid: number): string[] {
  try {
    const lines = readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n');
    return [...new Set(lines.map((l) => /\s(\/dev\/shm\/\S+)/.exec(l)?.[1]).filter((p) => p !== undefined))];
  } catch {
    return [];
  }
}

// SysV shared memory segments now present (/proc/sysvipc/shm), as [id, creator pid].
function listShmSegments(): [string, number][] {
  try {
    return readFileSync('/proc/sysvipc/shm', 'utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/))
      .filter((cols) => /^\d+$/.test(cols[1] ?? ''))
      .map((cols) => [cols[1] as string, Number(cols[4])]);
  } catch {
    return [];
  }
}

// SysV shared memory ids whose creator is one of the pids (PostgreSQL's small interlock segment).
function ipcCreatedBy(pids: number[]): string[] {
  return listShmSegments()
    .filter(([, cpid]) => pids.includes(cpid))
    .map(([id]) => id);
}

/** The servers under a state root now, with what they hold (read while the run is live). */
function listServers(stateRoot: string): ServerSeen[] {
  const ids = existsSync(stateRoot) ? readdirSync(stateRoot).filter((d) => !d.startsWith('.')) : [];
  return ids.flatMap((id) => {
    const stateDir = join(stateRoot, id);
    const status = readJson(join(stateDir, 'status.json'));
    const spec = readJson(join(stateDir, 'spec.json'));
    if (!status || !spec || typeof status.serverPid !== 'number') return [];
    const serverPid = status.serverPid;
    const children = readChildren(serverPid);
    return [
      {
        id,
        stateDir,
        dataDir: String(spec.dataDir),
        watcherPid: Number(status.watcherPid),
        serverPid,
        shm: [...new Set([serverPid, ...children].flatMap(mappedShm))],
        ipc: ipcCreatedBy([serverPid, ...children]),
      },
    ];
  });
}

// The direct children of a process (PostgreSQL's backends and helpers).
function readChildren(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Wait until the run's tests have connected and its servers are all up; return the servers seen. */
export async function waitHeld(run: RunnerRun, tests: number): Promise<ServerSeen[]> {
  let exited = false;
  void run.exited.then(() => {
    exited = true;
  });
  await waitFor(
    `${tests} tests to connect`,
    () => {
      if (exited) throw new Error(`the runner exited before ${tests} tests connected:\n${run.output()}`);
      return run.tests().length >= tests;
    },
    120_000,
    50,
  );
  const servers = await waitFor('the servers to be listed', () => {
    const found = listServers(run.stateRoot);
    return found.length > 0 ? found : null;
  });
  return servers;
}

// The process group of a pid (field 5 of /proc/<pid>/stat), or null when it is gone.
function readProcessGroup(pid: string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return null;
  }
}

// Processes that name the state root in argv, environment, cwd or open files, apart from the runner's own process
// group: a SIGKILLed vitest or jest orphans its workers (the runner's behaviour; the test's cleanup kills them).
function findRootProcesses(run: RunnerRun): string[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid && belongsToSandbox(p, run.stateRoot))
    .filter((p) => isRunning(Number(p)) && readProcessGroup(p) !== run.child.pid)
    .map((p) => {
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' ').slice(0, 120);
      } catch {}
      return `${p} ${cmd}`;
    });
}

/** Wait until nothing of the run is left: no process under its state root, no watcher or server, no data dir,
 *  state dir, /dev/shm file or SysV IPC object of the servers seen while it ran, and an empty state root. */
export async function waitNothingLeft(run: RunnerRun, servers: ServerSeen[]): Promise<void> {
  const left = (): string[] => [
    ...findRootProcesses(run).map((p) => `process ${p}`),
    ...servers.flatMap((s) => [
      ...(isRunning(s.watcherPid) ? [`watcher ${s.watcherPid}`] : []),
      ...(isRunning(s.serverPid) ? [`server ${s.serverPid}`] : []),
      ...[s.dataDir, s.stateDir, ...s.shm].filter((p) => existsSync(p)),
      ...ipcCreatedBy([s.serverPid])
        .concat(s.ipc.filter((id) => ipcExists(id)))
        .map((id) => `SysV IPC ${id}`),
    ]),
    ...listStateEntries(run.stateRoot),
  ];
  await waitFor('nothing of the run to be left', () => left().length === 0, 30_000, 50).catch(() => {
    assert.deepEqual(left(), [], 'left behind by the run');
  });
}

// True while a SysV shared memory id exists.
function ipcExists(id: string): boolean {
  return listShmSegments().some(([shmid]) => shmid === id);
}
