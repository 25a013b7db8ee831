// Fault scenarios about deaths: the parent SIGKILLed at a random moment, the runner SIGKILLed, the server crashing or hanging.

import { existsSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer } from '../../dist/index.js';
import { collectGarbage } from '../../dist/manage/gc.js';
import { findTrialProcesses } from '../helpers/audit.js';
import type { Scenario, TrialContext } from '../helpers/campaign.js';
import { waitFor } from '../helpers/poll.js';
import { waitNotRunning } from '../helpers/proc.js';
import {
  buildOptions,
  collectTrialGarbage,
  type Mode,
  notePids,
  readStatus,
  runTrialCli,
  sendSignal,
  spawnParentProcess,
  waitRunnerGone,
  waitStatusFile,
} from './kit.js';

const MODES: Mode[] = ['polite', 'stubborn', 'immortal'];
export type Moment = 'before-ready' | 'during-start' | 'running' | 'during-stop';

// Pick the server's behaviour and record it as a fault when it is not polite.
export function pickMode(ctx: TrialContext): Mode {
  const mode = ctx.rng.pick(MODES);
  if (mode !== 'polite')
    ctx.faults.push(`server-${mode === 'stubborn' ? 'hangs-on-stop' : 'ignores-signals'}`);
  return mode;
}

// True when a launcher's `.claim-*` staging dir is in the state root (it was killed mid-claim).
function hasStagedClaim(stateRoot: string): boolean {
  try {
    return readdirSync(stateRoot).some((name) => name.startsWith('.claim-'));
  } catch {
    return false;
  }
}

// The parent (holding a lifeline) is SIGKILLed at `moment`; the runner alone must clean everything up.
export function killParentAt(moment: Moment): Scenario {
  return {
    name: `parent-sigkill:${moment}`,
    async run(ctx) {
      ctx.faults.push(`parent-sigkill:${moment}`);
      const parent = spawnParentProcess(ctx, buildOptions(ctx, pickMode(ctx)));
      if (moment === 'before-ready') await sleep(ctx.rng.int(0, 300));
      else if (moment === 'during-start') {
        await waitStatusFile(ctx);
        await sleep(ctx.rng.int(0, 40));
      } else {
        if (!(await parent.info))
          ctx.problems.push(
            `the parent ended before its instance was ready: ${parent.stderr() || '(no output)'}`,
          );
        if (moment === 'during-stop') parent.child.stdin?.write('stop\n');
        await sleep(ctx.rng.int(0, moment === 'during-stop' ? 80 : 150));
      }
      notePids(ctx);
      parent.child.kill('SIGKILL');
      await parent.exited;
      await waitStatusFile(ctx, 300);
      await waitRunnerGone(ctx);
      // The launcher died before its runner existed (its instance dir, or only its `.claim-*` staging dir, is left):
      // no watcher, so gc (without the launch grace) must recover.
      const staged = hasStagedClaim(ctx.stateRoot);
      if (
        (staged || (existsSync(ctx.stateDir) && !readStatus(ctx))) &&
        findTrialProcesses({ token: ctx.dir, pids: [] }).length === 0
      ) {
        ctx.faults.push('abandoned-launch');
        await collectGarbage(ctx.stateRoot, { launchGraceMs: 0 });
      }
    },
  };
}

// The detached runner is SIGKILLed; the orphan server lives on until `gc`, which must recover everything.
export function killDetachedRunnerAt(moment: 'before-ready' | 'running' | 'during-stop'): Scenario {
  return {
    name: `runner-sigkill:${moment}`,
    async run(ctx) {
      ctx.faults.push(`runner-sigkill:${moment}`);
      const starting = startServer(buildOptions(ctx, pickMode(ctx)));
      if (moment === 'before-ready') {
        const outcome = starting.then(
          () => 'ready',
          (e: Error) => e.message,
        );
        await waitFor('a runner pid', () => readStatus(ctx)?.watcherPid, 10_000, 2);
        notePids(ctx);
        const watcherPid = readStatus(ctx)?.watcherPid;
        sendSignal(watcherPid, 'SIGKILL');
        if (watcherPid) await waitNotRunning(watcherPid);
        // Killed between spawning the server and recording its pid: the backstop finds the server by the
        // QUICKDB_WATCHER_INSTANCE tag in its environment. Counted as its own fault kind.
        if (!readStatus(ctx)?.serverPid) ctx.faults.push('runner-sigkill:before-server-pid-recorded');
        const result = await outcome;
        if (result === 'ready') {
          const instance = await starting;
          ctx.defer(() => instance.stop().catch(() => {}));
        } else if (!/did not start|exited before/.test(result))
          ctx.problems.push(`startServer failed oddly: ${result}`);
      } else {
        const instance = await starting;
        notePids(ctx);
        const stopping =
          moment === 'during-stop'
            ? instance.stop().then(
                () => null,
                (e: Error) => e.message,
              )
            : null;
        await sleep(ctx.rng.int(0, moment === 'during-stop' ? 60 : 100));
        sendSignal(instance.watcherPid, 'SIGKILL');
        const failure = await stopping;
        if (failure && !/did not finish cleanly|is not running/.test(failure))
          ctx.problems.push(`stop failed oddly: ${failure}`);
      }
      await waitRunnerGone(ctx);
      notePids(ctx);
      await collectTrialGarbage(ctx);
    },
  };
}

// The server crashes (exit 3) while running (or quiet first); the error is reported, then a stop and gc clean up.
export const crashServer: Scenario = {
  name: 'server-crash',
  async run(ctx) {
    ctx.faults.push('server-crash');
    const instance = await startServer(buildOptions(ctx, pickMode(ctx)));
    notePids(ctx);
    const quiet = ctx.rng.chance(0.3);
    if (quiet) {
      ctx.faults.push('quiet-then-crash');
      await instance.quiet();
    }
    sendSignal(instance.serverPid, 'SIGUSR2');
    const status = await waitFor('the crash in status.json', () => {
      const s = readStatus(ctx);
      return s?.phase === 'server-exited' ? s : null;
    });
    const reported = /exited on its own with code 3/.test(status.error ?? '');
    if (reported === quiet) ctx.problems.push(`quiet=${quiet} but error is ${JSON.stringify(status.error)}`);
    if (ctx.rng.chance(0.5)) await instance.stop();
    else {
      const r = await runTrialCli(ctx, ['stop', ctx.id]);
      if (r.code !== 0) ctx.problems.push(`stop after a crash exited ${r.code}: ${r.stderr}`);
    }
    if (!quiet && !readStatus(ctx)?.error) ctx.problems.push('the crash error was not kept in status.json');
    if (!quiet) await collectTrialGarbage(ctx);
  },
};

// A stop while the server hangs (ignores SIGTERM, or everything); the ladder escalates, the CLI stop exits 0.
export const stopHangingServer: Scenario = {
  name: 'server-hangs-on-stop',
  async run(ctx) {
    const mode = ctx.rng.pick(['stubborn', 'immortal'] as const);
    ctx.faults.push(mode === 'stubborn' ? 'server-hangs-on-stop' : 'server-ignores-signals');
    const instance = await startServer(buildOptions(ctx, mode));
    notePids(ctx);
    const crashMidStop = ctx.rng.chance(0.3);
    const stop = runTrialCli(ctx, ['stop', ctx.id]);
    if (crashMidStop) {
      ctx.faults.push('server-crash-during-stop');
      await waitFor('the stop to begin', () => readStatus(ctx)?.phase !== 'ready', 10_000, 2);
      await sleep(ctx.rng.int(0, 60));
      sendSignal(instance.serverPid, 'SIGUSR2');
    }
    const r = await stop;
    if (r.code !== 0 || !/stopped; data dir deleted/.test(r.stdout))
      ctx.problems.push(`stop of a hanging server: exit ${r.code}: ${r.stdout}${r.stderr}`);
  },
};
