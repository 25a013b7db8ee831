// Starting fixture servers under the real runner, and tearing everything down after each test.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { type InstanceInfo, type StartOptions, startServer } from '../../dist/index.js';
import { killInstanceCgroup } from '../../dist/state/process/cgroup-kill.js';
import { readStatusFile } from '../../dist/state/records/status.js';
import { FIXTURES, ROOT, scratchDir, stateRoot } from './env.js';
import { waitFor } from './poll.js';
import { killIfRunning, waitNotRunning } from './proc.js';

export type Mode = 'polite' | 'stubborn' | 'immortal';

export interface FixtureOptions {
  mode?: Mode;
  child?: boolean;
  options?: StartOptions;
}

// The command-driver options that run test/fixtures/server.mjs with a trace file; fast grace and stop grace short.
export function fixtureOptions(
  t: TestContext,
  fixture: FixtureOptions = {},
): { options: StartOptions; trace: string } {
  const trace = join(scratchDir(t, 'trace-'), 'trace.log');
  const args = [process.execPath, join(FIXTURES, 'server.mjs'), fixture.mode ?? 'polite', '--trace', trace];
  if (fixture.child) args.push('--child');
  const options: StartOptions = {
    driver: 'command',
    args,
    readyLog: '^READY$',
    stopSignal: 'SIGTERM',
    fastStopSignal: 'SIGQUIT',
    stopGraceMs: 400,
    fastGraceMs: 400,
    stateRoot: stateRoot(),
    ...fixture.options,
  };
  return { options, trace };
}

// Kill whatever of an instance survived a (failed) test and remove its dirs.
export function registerCleanup(t: TestContext, info: () => Partial<InstanceInfo> | null): void {
  t.after(async () => {
    const i = info();
    if (!i) return;
    killIfRunning(i.watcherPid);
    // A watcher killed here leaves its server's cgroup (detached backend) for gc: remove it like gc would.
    const cgroup = i.stateDir ? readStatusFile(join(i.stateDir, 'status.json'))?.cgroup : null;
    if (cgroup && i.id && i.stateDir) {
      if (i.watcherPid) await waitNotRunning(i.watcherPid);
      await killInstanceCgroup(cgroup, { id: i.id, stateDir: i.stateDir });
    }
    if (i.serverPid) {
      try {
        process.kill(-i.serverPid, 'SIGKILL');
      } catch {}
    }
    if (i.stateDir) rmSync(i.stateDir, { recursive: true, force: true });
    if (i.dataDir) rmSync(i.dataDir, { recursive: true, force: true });
  });
}

// Start a fixture server from this test process (its parent, through the lifeline).
export async function startFixture(t: TestContext, fixture: FixtureOptions = {}) {
  const { options, trace } = fixtureOptions(t, fixture);
  const instance = await startServer(options);
  registerCleanup(t, () => instance.info);
  return { instance, info: instance.info, trace };
}

// Lines of a fixture's trace file ("<ms> <pid> <text>"), text only.
export function readTrace(trace: string): string[] {
  try {
    return readFileSync(trace, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ').slice(2).join(' '));
  } catch {
    return [];
  }
}

export interface FixtureParent {
  child: ChildProcess;
  info: InstanceInfo & { parentPid: number };
  /** The process that will not reap the parent (zombie mode), to be killed at the end. */
  keeper?: ChildProcess;
}

// Spawn test/fixtures/parent.mjs, which starts a server through the library and prints its info.
// zombie: the parent runs under a `sleep` that never reaps it, so when it exits it stays a zombie.
export async function spawnParent(
  t: TestContext,
  options: StartOptions,
  zombie = false,
): Promise<FixtureParent> {
  const script = join(FIXTURES, 'parent.mjs');
  const json = JSON.stringify(options);
  const child = zombie
    ? spawn('sh', ['-c', `"${process.execPath}" "${script}" '${json}' & exec sleep 1000`], {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'inherit'],
      })
    : spawn(process.execPath, [script, json], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  let info: FixtureParent['info'] | null = null;
  registerCleanup(t, () => info);
  t.after(() => {
    killIfRunning(info?.parentPid);
    killIfRunning(child.pid);
  });
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = `the parent fixture exited (${signal ?? code}) before printing its instance`;
  });
  info = await waitFor(
    'the parent fixture to print its instance',
    () => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) return JSON.parse(line) as FixtureParent['info'];
      if (exited) throw new Error(exited);
      return null;
    },
    30_000,
  );
  return zombie ? { child: child, info, keeper: child } : { child, info };
}
