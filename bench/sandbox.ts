// The bench sandbox: its own temp dir, state root and snapshot cache, the systemd user manager, and leftover audits.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  canRunUserManager,
  listQuickdbUnits,
  startUserManager,
  type UserManager,
} from '../test/helpers/systemd.js';
import { findProcesses } from './proc.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const CLI = join(ROOT, 'dist', 'bin', 'quickdb-watcher.js');
export const SERVER_FIXTURE = join(ROOT, 'test', 'fixtures', 'server.mjs');
export const PARENT_FIXTURE = join(ROOT, 'test', 'fixtures', 'parent.mjs');

export interface Sandbox {
  base: string;
  stateRoot: string;
  cacheRoot: string;
  scratch: string;
  /** A private dir on /dev/shm for RAM data dirs (QUICKDB_WATCHER_RAM_DIR), or null where there is none. */
  ramDir: string | null;
  manager: UserManager | null;
  managerWhy: string;
}

export interface Leftovers {
  processes: number;
  stateEntries: number;
  dataDirs: number;
  units: number;
  details: string[];
}

// Make the sandbox and point QUICKDB_WATCHER_STATE / QUICKDB_WATCHER_CACHE at it; starts systemd when possible.
export async function createSandbox(wantSystemd: boolean): Promise<Sandbox> {
  const base = mkdtempSync(join(tmpdir(), 'qdw-bench-'));
  const stateRoot = join(base, 'state');
  const cacheRoot = join(base, 'cache');
  const scratch = join(base, 'scratch');
  for (const dir of [stateRoot, cacheRoot, scratch]) mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(base, 0o755);
  process.env.QUICKDB_WATCHER_STATE = stateRoot;
  process.env.QUICKDB_WATCHER_CACHE = cacheRoot;
  process.env.QDW_TEST_BASE = base;
  const ramDir = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/qdw-bench-') : null;
  if (ramDir) {
    chmodSync(ramDir, 0o711);
    process.env.QUICKDB_WATCHER_RAM_DIR = ramDir;
  }
  let manager: UserManager | null = null;
  let managerWhy = 'not asked for';
  if (wantSystemd) {
    if (!canRunUserManager()) managerWhy = 'no systemd, unshare or root here';
    else {
      try {
        manager = await startUserManager();
        managerWhy = `private user manager pid ${manager.pid}`;
      } catch (error) {
        managerWhy = `user manager failed to start: ${(error as Error).message}`;
      }
    }
  }
  return { base, stateRoot, cacheRoot, scratch, ramDir, manager, managerWhy };
}

// Count what the bench left behind: processes naming the sandbox, state entries, data dirs and quickdb units.
export function countLeftovers(sandbox: Sandbox): Leftovers {
  const procs = findProcesses(sandbox.base).filter((p) => p.state !== 'Z');
  // Snapshot spares (.spares), a RAM root's .state-root note and the stop notes (.stopped-ID, kept 10 minutes so a
  // second stop says "already stopped") are kept on purpose: not leftovers.
  const list = (dir: string): string[] =>
    (existsSync(dir) ? readdirSync(dir) : []).filter(
      (n) => n !== '.spares' && n !== '.state-root' && !n.startsWith('.stopped-'),
    );
  const state = list(sandbox.stateRoot);
  const ram = sandbox.ramDir;
  const dataDirs = [
    ...list(sandbox.scratch).filter((n) => n.startsWith('data-')),
    ...(ram ? list(ram).flatMap((root) => list(join(ram, root)).map((d) => `${root}/${d}`)) : []),
  ];
  let units: string[] = [];
  if (sandbox.manager) {
    try {
      units = listQuickdbUnits(sandbox.manager);
    } catch {}
  }
  return {
    processes: procs.length,
    stateEntries: state.length,
    dataDirs: dataDirs.length,
    units: units.length,
    details: [
      ...procs.map((p) => `process ${p.pid} ${p.state} ${p.cmd.slice(0, 120)}`),
      ...state.map((s) => `state ${s}`),
      ...dataDirs.map((d) => `data ${d}`),
      ...units.map((u) => `unit ${u}`),
    ],
  };
}

// Environment for a child that should launch through `backend` (systemd needs the manager's XDG_RUNTIME_DIR).
export function makeBackendEnv(sandbox: Sandbox, backend: string): NodeJS.ProcessEnv {
  if (backend === 'systemd' && sandbox.manager) return { ...process.env, ...sandbox.manager.env };
  const env = { ...process.env };
  delete env.XDG_RUNTIME_DIR;
  return env;
}

// Run fn with process.env set up for `backend`, restoring XDG_RUNTIME_DIR afterwards.
export async function withBackendEnv<T>(sandbox: Sandbox, backend: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.XDG_RUNTIME_DIR;
  if (backend === 'systemd' && sandbox.manager) process.env.XDG_RUNTIME_DIR = sandbox.manager.runtimeDir;
  else delete process.env.XDG_RUNTIME_DIR;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.XDG_RUNTIME_DIR;
    else process.env.XDG_RUNTIME_DIR = saved;
  }
}

// Stop the user manager and remove the sandbox dir.
export async function destroySandbox(sandbox: Sandbox): Promise<void> {
  await sandbox.manager?.stop();
  rmSync(sandbox.base, { recursive: true, force: true });
  if (sandbox.ramDir) rmSync(sandbox.ramDir, { recursive: true, force: true });
}
