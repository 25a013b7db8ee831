// Shared steps of the driver tests: sandboxed snapshot cache, starting via library or CLI, proving everything is gone.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';
import { findMariadbBinaries } from '../../dist/drivers/mariadb/binaries.js';
import { findPgBinaries } from '../../dist/drivers/postgresql/binaries.js';
import { findRedisServer } from '../../dist/drivers/redis/binaries.js';
import {
  type DatabaseDriverName,
  type DriverName,
  type Instance,
  type InstanceInfo,
  type StartOptions,
  startServer,
} from '../../dist/index.js';
import { CLI, requireOrSkip, stateRoot, testBase } from '../helpers/env.js';
import { registerCleanup } from '../helpers/instance.js';
import { waitFor } from '../helpers/poll.js';
import { isRunning } from '../helpers/proc.js';

const run = promisify(execFile);

/** Each engine's name in the skip line, and the library's own finder for it (throws when it is missing). */
const ENGINES: Record<DatabaseDriverName, [string, () => unknown]> = {
  postgresql: ['PostgreSQL', () => findPgBinaries(undefined)],
  mariadb: ['MariaDB/MySQL', () => findMariadbBinaries(undefined)],
  mysql: ['MariaDB/MySQL', () => findMariadbBinaries(undefined)],
  redis: ['Redis', () => findRedisServer(undefined)],
};

// Skip (or fail under QUICKDB_TEST_REQUIRE=all) unless the library's own finders find every engine named.
export function requireEngine(t: TestContext, ...drivers: DatabaseDriverName[]): boolean {
  return drivers.every((driver) => {
    const [what, find] = ENGINES[driver];
    let found = true;
    try {
      find();
    } catch {
      found = false;
    }
    return requireOrSkip(t, found, what);
  });
}

// requireEngine(t, 'postgresql'), the check most tests need.
export function requirePostgres(t: TestContext): boolean {
  return requireEngine(t, 'postgresql');
}

// Point the snapshot cache into the sandbox; as root, let the servers' own users reach the sandbox (search only).
export function prepareDbSandbox(): void {
  const base = testBase();
  process.env.QUICKDB_WATCHER_CACHE ??= join(base, 'cache');
  if (process.getuid?.() === 0) chmodSync(base, 0o711);
}

// The options every driver test starts with: sandboxed state, short graces.
export function dbOptions(driver: DriverName, extra: StartOptions = {}): StartOptions {
  prepareDbSandbox();
  return { driver, stateRoot: stateRoot(), stopGraceMs: 5000, fastGraceMs: 1000, ...extra };
}

// Start through the library; whatever survives a failed test is killed afterwards.
export async function startLib(
  t: TestContext,
  driver: DriverName,
  extra: StartOptions = {},
): Promise<Instance> {
  const instance = await startServer(dbOptions(driver, extra));
  registerCleanup(t, () => instance.info);
  return instance;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

// Run the CLI with the sandbox environment (and any extra variables).
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  prepareDbSandbox();
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

// `up DRIVER --format json ...` bound to this test process; the instance is cleaned up after the test.
export async function startCli(t: TestContext, driver: string, args: string[] = []): Promise<InstanceInfo> {
  const result = await runCli(['up', driver, '--format', 'json', '--parent', String(process.pid), ...args]);
  if (result.code !== 0) throw new Error(`up ${driver} failed (${result.code}): ${result.stderr}`);
  const info = JSON.parse(result.stdout) as InstanceInfo;
  registerCleanup(t, () => info);
  return info;
}

// The server and all its live descendants (PostgreSQL's children call setsid, so a process group is not enough).
export function listServerProcesses(serverPid: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  const found = new Set([serverPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (found.has(ppid) && !found.has(pid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return [...found].filter((p) => isRunning(p));
}

// The SysV shared memory ids that exist now.
function listShmIds(): Set<string> {
  const text = readFileSync('/proc/sysvipc/shm', 'utf8');
  return new Set(
    text
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/)[1] ?? '')
      .filter(Boolean),
  );
}

export interface Footprint {
  pids: number[];
  paths: string[];
  shmIds: string[];
}

// What an instance has on the machine now: processes, its dirs and socket, and (PostgreSQL) its shm segment.
export function takeFootprint(info: InstanceInfo, socket?: string): Footprint {
  const pids = info.serverPid ? listServerProcesses(info.serverPid) : [];
  const shmIds: string[] = [];
  const pidFile = join(info.dataDir, 'pgdata', 'postmaster.pid');
  if (existsSync(pidFile)) {
    const id = readFileSync(pidFile, 'utf8').split('\n')[6]?.trim().split(/\s+/)[1];
    if (id) shmIds.push(id);
  }
  return { pids: [info.watcherPid, ...pids], paths: [info.dataDir, ...(socket ? [socket] : [])], shmIds };
}

// Wait until none of the footprint is left (keepData: the data dir must still be there).
export async function waitFootprintGone(fp: Footprint, keepData = false): Promise<void> {
  await waitFor('every server process to be gone', () => fp.pids.every((p) => !isRunning(p)), 20_000);
  const [dataDir, ...others] = fp.paths;
  await waitFor('the sockets to be gone', () => others.every((p) => !existsSync(p)), 10_000);
  await waitFor(
    keepData ? 'the data dir to be kept' : 'the data dir to be deleted',
    () => existsSync(dataDir as string) === keepData,
    10_000,
  );
  await waitFor(
    'the shared memory to be released',
    () => fp.shmIds.every((id) => !listShmIds().has(id)),
    10_000,
  );
}

/** What a user reads as an instance's server ("postgresql 15.14") in each place the CLI shows it. */
export interface ShownServer {
  up: string | undefined;
  statusText: string | undefined;
  statusJson: string | undefined;
  listText: string | undefined;
  listJson: string | undefined;
}

// "ENGINE VERSION" of a `server` object in JSON output, or undefined when there is none.
function nameJsonServer(server: { engine?: unknown; version?: unknown } | undefined): string | undefined {
  return server ? `${server.engine} ${server.version}` : undefined;
}

// `up DRIVER` (text) bound to this test process, then `status` and `list` (text and --json): the server each names.
// Returns the url (from `status --json`) to ask the server itself; the instance is cleaned up after the test.
export async function readShownServer(
  t: TestContext,
  driver: string,
  args: string[] = [],
): Promise<{ url: string; shown: ShownServer; snapshot: string | undefined }> {
  const up = await runCli(['up', driver, '--parent', String(process.pid), ...args]);
  const id = /^quickdb-watcher: (\S+) is ready/m.exec(up.stdout)?.[1];
  if (up.code !== 0 || !id) throw new Error(`up ${driver} failed (${up.code}): ${up.stdout}${up.stderr}`);
  t.after(() => runCli(['stop', id])); // a clean stop first (a hard kill would leave PostgreSQL's SysV segment)
  const status = await runCli(['status', id, '--json']);
  const view = JSON.parse(status.stdout);
  registerCleanup(t, () => view);
  const listJson = JSON.parse((await runCli(['list', '--json'])).stdout) as { id: string; server?: object }[];
  const listText = (await runCli(['list'])).stdout;
  const statusText = (await runCli(['status', id])).stdout;
  const shown: ShownServer = {
    up: /^quickdb-watcher: \S+ is ready \((\S+ \S+)\)$/m.exec(up.stdout)?.[1],
    statusText: /^server {6}(\S+ \S+) from /m.exec(statusText)?.[1],
    statusJson: nameJsonServer(view.server),
    listText: new RegExp(`^${id} +(\\S+ \\S+) {2,}`, 'm').exec(listText)?.[1],
    listJson: nameJsonServer(listJson.find((v) => v.id === id)?.server),
  };
  return { url: view.url, shown, snapshot: view.server?.dataDir?.snapshot };
}

// The snapshot the data dir was cloned from is listed by `snapshots list` under a key naming driver and version.
export async function checkSnapshotListed(snapshot: string | undefined, expected: string): Promise<void> {
  assert.ok(
    snapshot?.startsWith(`${expected.replace(' ', '-')}-`),
    `snapshot key ${snapshot} names ${expected}`,
  );
  const list = await runCli(['snapshots', 'list']);
  assert.match(list.stdout, new RegExp(`^ {2}${snapshot} `, 'm'), list.stdout);
}

// Every place the CLI names the server says `expected` ("postgresql 15.14").
export function checkShownServer(shown: ShownServer, expected: string): void {
  const everywhere = Object.fromEntries(Object.keys(shown).map((where) => [where, expected]));
  assert.deepEqual(shown, everywhere, 'up, status and list name the server as it names itself');
}
