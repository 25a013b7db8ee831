// A private systemd user manager for one test file (unshare + tmpfs /run/systemd + systemd --user), stopped and removed in `after`.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, type TestContext } from 'node:test';
import { requireOrSkip, testBase } from './env.js';
import { scaleDeadline } from './load.js';
import { waitFor } from './poll.js';
import { isGone } from './proc.js';

export interface UserManager {
  runtimeDir: string;
  pid: number;
  /** process.env plus this manager's XDG_RUNTIME_DIR, for CLIs and systemctl. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

const SYSTEMD = '/lib/systemd/systemd';

// True when this machine can run a private user manager: systemd installed, unshare present, running as root.
export function canRunUserManager(): boolean {
  if (process.getuid?.() !== 0 || !existsSync(SYSTEMD)) return false;
  return ['systemd-run', 'systemctl', 'unshare'].every(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0,
  );
}

// Start a user manager in a private mount namespace with its own XDG_RUNTIME_DIR; resolves once it listens.
export async function startUserManager(): Promise<UserManager> {
  const runtimeDir = mkdtempSync(join(testBase(), 'xdg-'));
  const env = { ...process.env, XDG_RUNTIME_DIR: runtimeDir };
  const script = `mkdir -p /run/systemd && mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system && exec ${SYSTEMD} --user`;
  const child: ChildProcess = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
    env,
    stdio: 'ignore',
  });
  const pid = child.pid as number;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const stop = async (): Promise<void> => {
    if (!exited) {
      spawnSync('systemctl', ['--user', 'exit'], { env, timeout: scaleDeadline(10_000) });
      await waitFor('the user manager to exit', () => exited, 10_000).catch(() => {
        child.kill('SIGKILL');
        return waitFor('the user manager to die', () => exited || isGone(pid), 5000);
      });
    }
    rmSync(runtimeDir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      'the user manager socket',
      () => exited || existsSync(join(runtimeDir, 'systemd', 'private')),
      10_000,
    );
    if (exited) throw new Error('the systemd user manager exited at start');
  } catch (error) {
    await stop();
    throw error;
  }
  return { runtimeDir, pid, env, stop };
}

// Names of quickdb units the manager still knows (any state).
export function listQuickdbUnits(manager: UserManager): string[] {
  const out = execFileSync(
    'systemctl',
    ['--user', 'list-units', '--all', '--plain', '--no-legend', 'quickdb-*'],
    { env: manager.env, encoding: 'utf8' },
  );
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

// systemctl --user show values of a unit.
export function showUnit(manager: UserManager, unit: string, props: string[]): Record<string, string> {
  const out = execFileSync('systemctl', ['--user', 'show', ...props.flatMap((p) => ['-p', p]), unit], {
    env: manager.env,
    encoding: 'utf8',
  });
  return Object.fromEntries(
    out
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

// One private manager for the calling test file (started in `before`, stopped in `after`); the returned
// function gives it to a test, or skips the test loudly (fails under QUICKDB_TEST_REQUIRE=all) when unavailable.
// exportEnv: point this process's XDG_RUNTIME_DIR at it, so the library's systemd-run/systemctl reach it.
export function useUserManager(
  options: { exportEnv?: boolean } = {},
): (t: TestContext) => UserManager | null {
  const available = canRunUserManager();
  let manager: UserManager | null = null;
  before(async () => {
    if (!available) return;
    manager = await startUserManager();
    if (options.exportEnv) process.env.XDG_RUNTIME_DIR = manager.runtimeDir;
  });
  after(async () => {
    await manager?.stop();
  });
  return (t) =>
    requireOrSkip(t, available && manager !== null, 'a private systemd user manager (systemd, unshare, root)')
      ? manager
      : null;
}
