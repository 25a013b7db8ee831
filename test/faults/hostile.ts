// Fault scenarios about a hostile machine: the data dir's disk full (a small tmpfs), the state dir removed under a live instance.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Instance, startServer } from '../../dist/index.js';
import type { Scenario, TrialContext } from '../helpers/campaign.js';
import { testBase } from '../helpers/env.js';
import { waitNotRunning } from '../helpers/proc.js';
import { pickMode } from './deaths.js';
import { buildOptions, notePids, readStatus, sendSignal, spawnParentProcess, waitRunnerGone } from './kit.js';

// A small tmpfs for disk-full trials; trials using it take turns (`withDisk`).
export class SmallDisk {
  readonly path = join(testBase(), 'faults-tmpfs');
  #turn: Promise<unknown> = Promise.resolve();

  mount(): void {
    mkdirSync(this.path, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', this.path]);
  }

  unmount(): void {
    execFileSync('umount', ['-l', this.path]);
    rmSync(this.path, { recursive: true, force: true });
  }

  // Fill the disk until `freeBlocks` blocks are left; returns the filler path.
  fill(name: string, freeBlocks: number): string {
    const filler = join(this.path, `${name}.fill`);
    const fd = openSync(filler, 'a');
    const chunk = Buffer.alloc(statfsSync(this.path).bsize);
    try {
      while (statfsSync(this.path).bavail > freeBlocks) writeSync(fd, chunk);
    } catch {}
    closeSync(fd);
    return filler;
  }

  withDisk<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#turn.then(fn, fn);
    this.#turn = run.catch(() => {});
    return run;
  }
}

type DiskMoment = 'full-at-start' | 'full-before-ready' | 'full-while-running';

// The data dir lives on a full (or filling) disk: the launch fails cleanly, or the stop still deletes everything.
export function fillDisk(disk: SmallDisk, moment: DiskMoment): Scenario {
  return {
    name: `disk-full:${moment}`,
    run: (ctx) =>
      disk.withDisk(async () => {
        ctx.faults.push(`disk-full:${moment}`);
        const dataDir = join(disk.path, ctx.id, 'data');
        ctx.dataDirs.push(join(disk.path, ctx.id));
        const options = buildOptions(ctx, pickMode(ctx), { dataDir });
        let filler: string | null = null;
        try {
          if (moment === 'full-while-running') {
            const instance = await startServer(options);
            notePids(ctx);
            filler = disk.fill(ctx.id, 0);
            return await endInstance(ctx, instance);
          }
          filler = disk.fill(ctx.id, moment === 'full-at-start' ? 0 : 1);
          const error = await startServer(options).then(
            (i) => {
              ctx.defer(() => i.stop().catch(() => {}));
              return null;
            },
            (e: Error) => e,
          );
          if (!error) ctx.problems.push('a launch on a full disk reported ready');
          else if (!/ENOSPC|no space|did not start/i.test(error.message))
            ctx.problems.push(`odd error: ${error.message}`);
          await waitRunnerGone(ctx);
        } finally {
          // Free the disk before the next disk trial takes its turn.
          if (filler) rmSync(filler, { force: true });
          rmSync(join(disk.path, ctx.id), { recursive: true, force: true });
        }
      }),
  };
}

// End a running instance one of three ways: library stop, SIGTERM or SIGUSR1 to the runner.
async function endInstance(ctx: TrialContext, instance: Instance): Promise<void> {
  const how = ctx.rng.pick(['library-stop', 'SIGTERM', 'SIGUSR1'] as const);
  if (how === 'library-stop') await instance.stop();
  else sendSignal(instance.watcherPid, how);
  await waitRunnerGone(ctx);
  if (readStatus(ctx)) ctx.problems.push(`status left: ${JSON.stringify(readStatus(ctx))}`);
}

// The state dir (spec, status, socket, maybe the data dir) is deleted under a running instance, then it is stopped.
export const removeStateDir: Scenario = {
  name: 'state-dir-removed',
  async run(ctx) {
    ctx.faults.push('state-dir-removed');
    const outside = ctx.rng.chance(0.5);
    const options = buildOptions(ctx, pickMode(ctx), outside ? { dataDir: join(ctx.dir, 'data') } : {});
    if (outside) ctx.dataDirs.push(join(ctx.dir, 'data'));
    const how = ctx.rng.pick(['SIGTERM', 'SIGUSR1', 'parent-sigkill', 'library-stop'] as const);
    ctx.notes.push(`ended by ${how}, data dir ${outside ? 'outside' : 'inside'} the state dir`);
    const parent = how === 'parent-sigkill' ? spawnParentProcess(ctx, options) : null;
    const instance = parent ? null : await startServer(options);
    const watcherPid = instance?.watcherPid ?? (await parent?.info)?.watcherPid;
    notePids(ctx);
    await sleep(ctx.rng.int(0, 50));
    rmSync(ctx.stateDir, { recursive: true, force: true });
    if (how === 'parent-sigkill') parent?.child.kill('SIGKILL');
    else if (how === 'library-stop') {
      const failure = await instance?.stop().then(
        () => null,
        (e: Error) => e.message,
      );
      if (failure) ctx.problems.push(`library stop after the state dir went: ${failure}`);
    } else sendSignal(watcherPid, how);
    ctx.pids.push(watcherPid ?? 0);
    if (watcherPid)
      await waitNotRunning(watcherPid, 15_000).catch(() =>
        ctx.problems.push(`runner ${watcherPid} still runs after the stop`),
      );
  },
};
