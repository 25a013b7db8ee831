// Shared moves of the fault scenarios: trial options, a killable parent process, status reads, CLI calls.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { StartOptions } from '../../dist/index.js';
import { readStatusFile, type Status } from '../../dist/state/records/status.js';
import type { TrialContext } from '../helpers/campaign.js';
import { CLI, FIXTURES, ROOT } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { procState } from '../helpers/proc.js';

export type Mode = 'polite' | 'stubborn' | 'immortal';
export const CONTROL_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGUSR1', 'SIGHUP'] as const;

/** Options every trial of this campaign (test file) uses, e.g. the backend. */
export const trialDefaults: StartOptions = {};

// Command-driver options for the fixture server of this trial (random mode, short graces unless given).
export function buildOptions(ctx: TrialContext, mode: Mode, extra: StartOptions = {}): StartOptions {
  const args = [process.execPath, join(FIXTURES, 'server.mjs'), mode, '--trace', ctx.trace];
  if (ctx.rng.chance(0.5)) args.push('--child');
  return {
    driver: 'command',
    args,
    id: ctx.id,
    readyLog: '^READY$',
    stopSignal: 'SIGTERM',
    fastStopSignal: 'SIGQUIT',
    stopGraceMs: ctx.rng.int(80, 250),
    fastGraceMs: ctx.rng.int(80, 250),
    pollMs: 20,
    backend: 'detached',
    stateRoot: ctx.stateRoot,
    ...trialDefaults,
    ...extra,
  };
}

// What a user does with data kept on purpose (SIGINT, --keep): remove it, with the state dir, wherever it lives.
export function removeKeptData(ctx: TrialContext): void {
  for (const dir of [ctx.stateDir, ...ctx.dataDirs]) rmSync(dir, { recursive: true, force: true });
}

// The trial's status.json (null when absent).
export function readStatus(ctx: TrialContext): Status | null {
  return readStatusFile(join(ctx.stateDir, 'status.json'));
}

// Remember the runner, server and server-child pids seen so far, for the audit.
export function notePids(ctx: TrialContext): void {
  const s = readStatus(ctx);
  for (const pid of [s?.watcherPid, s?.serverPid]) if (pid && !ctx.pids.includes(pid)) ctx.pids.push(pid);
  try {
    for (const m of readFileSync(ctx.trace, 'utf8').matchAll(/ child (\d+)$/gm)) ctx.pids.push(Number(m[1]));
  } catch {}
}

// Send a signal, ignoring a process already gone.
export function sendSignal(pid: number | null | undefined, signal: NodeJS.Signals | 'SIGUSR2'): boolean {
  if (!pid || procState(pid) === null || procState(pid) === 'Z') return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

export interface ParentProcess {
  child: ChildProcess;
  /** Resolves with the instance info line, or null if the parent ended first. */
  info: Promise<{ watcherPid: number; serverPid: number } | null>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last of what it wrote to stderr (why it ended, when it did). */
  stderr(): string;
}

// Spawn test/fixtures/parent.mjs holding a lifeline to an instance started with `options`.
export function spawnParentProcess(ctx: TrialContext, options: StartOptions): ParentProcess {
  const json = JSON.stringify({ ...options, parent: 'self', lifeline: true });
  const child = spawn(process.execPath, [join(FIXTURES, 'parent.mjs'), json], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  ctx.pids.push(child.pid as number);
  ctx.defer(() => sendSignal(child.pid, 'SIGKILL'));
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const info = new Promise<{ watcherPid: number; serverPid: number } | null>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{"id"'));
      if (line) resolve(JSON.parse(line));
    });
    void exited.then(() => resolve(null));
  });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    err = (err + d).slice(-2000);
  });
  return { child, info, exited, stderr: () => err.trim() };
}

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

// Run the CLI against the trial's state root.
export function runTrialCli(ctx: TrialContext, args: string[]): Promise<CliOutcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: ctx.env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

// `gc` for the trial's state root; a non-zero exit is a problem of the parent's view.
export async function collectTrialGarbage(ctx: TrialContext): Promise<void> {
  ctx.notes.push(`status before gc: ${JSON.stringify(readStatus(ctx))}`);
  const r = await runTrialCli(ctx, ['gc']);
  ctx.notes.push(`gc: ${r.stdout.trim()}`);
  if (r.code !== 0) ctx.problems.push(`gc exited ${r.code}: ${r.stderr.trim()}`);
}

// Wait until the watcher recorded in status.json is gone (or there never was one).
export async function waitRunnerGone(ctx: TrialContext, timeoutMs = 20_000): Promise<void> {
  notePids(ctx);
  const pid = readStatus(ctx)?.watcherPid;
  if (pid)
    await waitFor(
      `runner ${pid} to exit`,
      () => procState(pid) === null || procState(pid) === 'Z',
      timeoutMs,
    );
}

// Wait until status.json exists at all (the runner started); false at the deadline.
export function waitStatusFile(ctx: TrialContext, timeoutMs = 10_000): Promise<boolean> {
  return waitFor('status.json', () => existsSync(join(ctx.stateDir, 'status.json')), timeoutMs, 2).catch(
    () => false,
  );
}
