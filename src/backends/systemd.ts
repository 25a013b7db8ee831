// The systemd backend: the watcher as a transient user unit (systemd-run), signalled at its MainPID, collected after.
import { closeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { QuickdbError } from '../errors.js';
import { planSystemd } from '../generate/plan.js';
import { buildSystemdRunArgs, buildSystemdUnit, unitNameFor } from '../generate/systemd.js';
import { openForAppend } from '../state/files/write-file.js';
import { readVersionLine } from '../state/process/tool-version.js';
import { describeLogTail } from '../state/records/log-tail.js';
import type { Spec } from '../state/records/spec.js';
import { readStatusFile } from '../state/records/status.js';
import { stopBudgetMs } from '../state/records/stop-budget.js';
import { signalWatcherPid } from './signal-pid.js';
import type { Backend, LaunchResult } from './types.js';
import { findNoUserManager } from './user-manager.js';

const TOOL_TIMEOUT_MS = 30_000;

export type SystemdScope = 'user' | 'system';

// Run systemctl --user (or --system) with args; never throws, returns the exit code and output.
export async function systemctl(
  args: string[],
  scope: SystemdScope = 'user',
): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await execa('systemctl', [`--${scope}`, ...args], {
    reject: false,
    stdin: 'ignore',
    timeout: TOOL_TIMEOUT_MS,
  });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr || r.message || '') };
}

// Read `systemctl show` properties of a unit as a map.
export async function showUnit(
  unit: string,
  props: string[],
  scope: SystemdScope = 'user',
): Promise<Record<string, string>> {
  const r = await systemctl(['show', ...props.flatMap((p) => ['-p', p]), unit], scope);
  const out: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

// Wait until the unit is gone or inactive (its ExecStopPost done), then forget a failed result; stop it if it hangs on.
export async function releaseUnit(
  unit: string,
  timeoutMs: number,
  scope: SystemdScope = 'user',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await showUnit(unit, ['LoadState', 'ActiveState'], scope);
    if (s.LoadState === 'not-found' || !s.LoadState) return;
    if (s.ActiveState === 'inactive' || s.ActiveState === 'failed') break;
    if (Date.now() > deadline) {
      await systemctl(['stop', unit], scope);
      break;
    }
    await sleep(20);
  }
  await systemctl(['reset-failed', unit], scope);
}

// The watcher's pid once systemd-run returned: MainPID, else the pid that already exited, else status.json's.
async function findWatcherPid(
  unit: string,
  statusPath: string,
  scope: SystemdScope,
): Promise<number | undefined> {
  const s = await showUnit(unit, ['MainPID', 'ExecMainPID'], scope);
  const pid = Number(s.MainPID) || Number(s.ExecMainPID);
  if (pid > 0) return pid;
  return readStatusFile(statusPath)?.watcherPid ?? undefined;
}

// Probe for a reachable user manager that systemd-run can use; `why` says what failed. Without XDG_RUNTIME_DIR or
// DBUS_SESSION_BUS_ADDRESS, systemctl --user cannot find one: said at once, without running it.
export async function probeSystemdUser(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ ok: boolean; why: string }> {
  const none = findNoUserManager(env);
  if (none) return none;
  try {
    const r = await execa('systemctl', ['--user', 'show', '-p', 'Version', '--value'], {
      reject: false,
      stdin: 'ignore',
      timeout: 3000,
      env,
    });
    if (r.exitCode !== 0) {
      const msg = String(r.stderr || r.message)
        .trim()
        .split('\n')[0];
      return { ok: false, why: `no systemd user manager reachable (${msg})` };
    }
    // The binary's answer is cached by its identity: only the manager's reachability is asked every time.
    if (readVersionLine('systemd-run') === '') return { ok: false, why: 'systemd-run is not installed' };
    return { ok: true, why: `systemd user manager ${String(r.stdout).trim()} reachable` };
  } catch (cause) {
    return { ok: false, why: `systemctl cannot run (${(cause as Error).message})` };
  }
}

// A systemd backend for the user manager, or (root only) the system manager.
export function makeSystemdBackend(scope: SystemdScope): Backend {
  return {
    name: scope === 'user' ? 'systemd' : 'systemd-system',
    async launch(spec, paths): Promise<LaunchResult> {
      const unit = buildSystemdUnit(planSystemd(spec, { specPath: paths.spec }));
      // Created here so it is 0600: systemd would create the append: log world-readable.
      closeSync(openForAppend(paths.log));
      const run = await execa('systemd-run', buildSystemdRunArgs(unit, scope), {
        reject: false,
        stdin: 'ignore',
        timeout: TOOL_TIMEOUT_MS,
      });
      if (run.exitCode !== 0) {
        await releaseUnit(unit.name, 2000, scope).catch(() => {});
        throw new QuickdbError(
          `systemd-run could not start ${unit.name}: ${String(run.stderr || run.message).trim()}`,
          {
            details: describeLogTail('watcher log', paths.log),
          },
        );
      }
      const watcherPid = await findWatcherPid(unit.name, paths.status, scope);
      if (!watcherPid) {
        await releaseUnit(unit.name, 2000, scope).catch(() => {});
        throw new QuickdbError(`the watcher unit ${unit.name} ended at once`, {
          details: describeLogTail('watcher log', paths.log),
        });
      }
      return { unit: unit.name, watcherPid };
    },
    async signal(spec, status, signal) {
      const r = await systemctl(['kill', '--kill-who=main', '-s', signal, unitNameFor(spec.id)], scope);
      if (r.code !== 0) signalWatcherPid(status, signal);
    },
    async release(spec: Spec) {
      await releaseUnit(unitNameFor(spec.id), stopBudgetMs(spec), scope);
    },
    async describeUnit(spec: Spec) {
      const unit = unitNameFor(spec.id);
      const p = await showUnit(unit, ['LoadState', 'ActiveState', 'SubState'], scope);
      if (!p.LoadState || p.LoadState === 'not-found') return `${unit}: not loaded`;
      return `${unit}: ${p.ActiveState} (${p.SubState})`;
    },
  };
}

export const systemdBackend: Backend = makeSystemdBackend('user');
