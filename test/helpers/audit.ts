// The after-trial audit: every process, zombie, dir, socket, unit and SysV IPC object a trial may have left.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOwnCgroup, nameInstanceCgroup } from '../../dist/state/process/cgroup.js';
import type { IpcWatch } from '../../scripts/ipc-audit.mjs';
import { belongsToSandbox } from '../../scripts/sandbox.mjs';
import { waitFor } from './poll.js';
import { procState } from './proc.js';

export type LeakKind = 'process' | 'zombie' | 'data-dir' | 'state' | 'socket' | 'unit' | 'ipc' | 'cgroup';
export const LEAK_KINDS: LeakKind[] = [
  'process',
  'zombie',
  'data-dir',
  'state',
  'socket',
  'unit',
  'ipc',
  'cgroup',
];

export interface Leak {
  kind: LeakKind;
  detail: string;
}

export interface AuditScope {
  /** A path prefix unique to the trial: its processes carry it in argv, env, cwd or open files. */
  token: string;
  /** The trial's own state root: must be empty or gone. */
  stateRoot: string;
  /** Data dirs that must be gone. */
  dataDirs: string[];
  /** Pids known to belong to the trial (runner, server, server children, parent). */
  pids: number[];
  /** Quickdb units still loaded for this trial (systemd trials). */
  listUnits?: () => string[];
  /** Instance cgroups (detached backend) that must be gone. */
  cgroups?: string[];
  /** The SysV IPC watch started with the trial (scripts/ipc-audit.mjs, on `token`), when it may create some. */
  ipc?: IpcWatch;
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

// True when the process mentions `token` in its argv, environment, cwd or open files (the suite audit's own rule).
function mentions(pid: string, token: string): boolean {
  return belongsToSandbox(pid, token);
}

// Pids (running or zombie) that belong to the trial, by token or by known pid.
export function findTrialProcesses(scope: Pick<AuditScope, 'token' | 'pids'>): number[] {
  const found = new Set<number>();
  for (const pid of scope.pids) if (procState(pid) !== null) found.add(pid);
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) !== process.pid && mentions(pid, scope.token)) found.add(Number(pid));
  }
  return [...found];
}

// Files left under a dir (recursively), relative.
function listLeft(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true }).map(String);
  } catch {
    return [];
  }
}

// Wait (with a deadline: init reaps orphans only every ~1.8 s, and systemd collects a unit moments after its last
// process) for the trial's processes and units to go, then list leaks.
export async function auditTrial(scope: AuditScope, graceMs = 6000): Promise<Leak[]> {
  await waitFor(
    'the trial processes and units to be gone',
    () => findTrialProcesses(scope).length === 0 && (scope.listUnits?.() ?? []).length === 0,
    graceMs,
  ).catch(() => {});
  const leaks: Leak[] = [];
  for (const pid of findTrialProcesses(scope)) {
    const state = procState(pid);
    const cmd = readOr(`/proc/${pid}/cmdline`).replaceAll('\0', ' ').slice(0, 120);
    leaks.push({
      kind: state === 'Z' || state === 'X' ? 'zombie' : 'process',
      detail: `${pid} ${state} ${cmd}`,
    });
  }
  for (const dir of scope.dataDirs) if (existsSync(dir)) leaks.push({ kind: 'data-dir', detail: dir });
  // Snapshot spares are the cache's, kept on purpose: not a trial's leak.
  const left = listLeft(scope.stateRoot).filter(
    (f) => !f.startsWith('.spares') && !f.startsWith('.stopped-'),
  );
  for (const f of left.filter((f) => f.endsWith('.sock'))) leaks.push({ kind: 'socket', detail: f });
  if (left.length)
    leaks.push({ kind: 'state', detail: `${scope.stateRoot}: ${left.slice(0, 6).join(', ')}` });
  for (const unit of scope.listUnits?.() ?? []) leaks.push({ kind: 'unit', detail: unit });
  for (const cgroup of scope.cgroups ?? [])
    if (existsSync(cgroup)) leaks.push({ kind: 'cgroup', detail: cgroup });
  for (const line of scope.ipc?.stop() ?? []) leaks.push({ kind: 'ipc', detail: line });
  return leaks;
}

// Where a detached watcher started from this process would put the instance's cgroup (none without cgroup v2).
export function instanceCgroupPaths(id: string, stateDir: string): string[] {
  const home = findOwnCgroup();
  return home ? [join(home, nameInstanceCgroup({ id, stateDir }))] : [];
}

// SIGKILL every process of the trial (after a failed audit), so the next trial starts clean.
export function killTrialProcesses(scope: Pick<AuditScope, 'token' | 'pids'>): void {
  for (const pid of findTrialProcesses(scope)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
}
