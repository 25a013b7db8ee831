// The launchd backend: a per-instance plist bootstrapped into gui/<uid> (or user/<uid>), booted out on release.
import { closeSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { QuickdbError } from '../errors.js';
import { launchdLabelFor, planLaunchd } from '../generate/plan.js';
import { renderPlist } from '../generate/render.js';
import { openForAppend, writeFileAtomic } from '../state/files/write-file.js';
import { describeLogTail } from '../state/records/log-tail.js';
import { readStatusFile } from '../state/records/status.js';
import { signalWatcherPid } from './signal-pid.js';
import type { Backend, LaunchResult } from './types.js';

const TOOL_TIMEOUT_MS = 30_000;

// Run launchctl with args; never throws.
async function launchctl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await execa('launchctl', args, { reject: false, stdin: 'ignore', timeout: TOOL_TIMEOUT_MS });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr || r.message || '') };
}

// The launchd domains to try, in order: the GUI session, then the background user domain (headless Macs).
export function launchdDomains(uid = process.getuid?.() ?? 0): string[] {
  return [`gui/${uid}`, `user/${uid}`];
}

// The watcher's pid as `launchctl print` reports it ("pid = N"), when launchd knows it.
async function readJobPid(target: string): Promise<number | undefined> {
  const r = await launchctl(['print', target]);
  const m = /^\s*pid = (\d+)/m.exec(r.stdout);
  return m ? Number(m[1]) : undefined;
}

export const launchdBackend: Backend = {
  name: 'launchd',
  async launch(spec, paths): Promise<LaunchResult> {
    const job = planLaunchd(spec, { specPath: paths.spec });
    const plist = join(paths.dir, `${job.label}.plist`);
    writeFileAtomic(plist, renderPlist(job));
    closeSync(openForAppend(paths.log));
    const errors: string[] = [];
    for (const domain of launchdDomains()) {
      const r = await launchctl(['bootstrap', domain, plist]);
      if (r.code === 0) {
        const watcherPid =
          (await readJobPid(`${domain}/${job.label}`)) ?? readStatusFile(paths.status)?.watcherPid;
        return { unit: `${domain}/${job.label}`, ...(watcherPid ? { watcherPid } : {}) };
      }
      errors.push(`launchctl bootstrap ${domain}: ${r.stderr.trim() || `exit ${r.code}`}`);
    }
    rmSync(plist, { force: true });
    throw new QuickdbError(`launchd could not start ${job.label}: ${errors.join('; ')}`, {
      details: describeLogTail('watcher log', paths.log),
    });
  },
  async signal(_spec, status, signal) {
    signalWatcherPid(status, signal);
  },
  async release(spec) {
    const label = launchdLabelFor(spec.id);
    for (const domain of launchdDomains()) await launchctl(['bootout', `${domain}/${label}`]);
  },
};
