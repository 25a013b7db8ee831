// Fault scenarios about signals: sent twice, crossed, in storms (running or before ready), and two clients stopping at once.
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer } from '../../dist/index.js';
import type { Scenario, TrialContext } from '../helpers/campaign.js';
import { waitFor } from '../helpers/poll.js';
import { pickMode } from './deaths.js';
import {
  buildOptions,
  type CliOutcome,
  CONTROL_SIGNALS,
  notePids,
  readStatus,
  removeKeptData,
  runTrialCli,
  sendSignal,
  waitRunnerGone,
} from './kit.js';

type Sig = (typeof CONTROL_SIGNALS)[number];

// The signals a pattern sends: the same twice, two different crossed, or a storm.
function buildSequence(ctx: TrialContext, pattern: 'twice' | 'crossed' | 'storm'): Sig[] {
  const stops: Sig[] = ['SIGINT', 'SIGTERM', 'SIGUSR1'];
  if (pattern === 'twice') {
    const s = ctx.rng.pick(stops);
    return [s, s];
  }
  if (pattern === 'crossed') {
    const a = ctx.rng.pick(stops);
    return [a, ctx.rng.pick(stops.filter((s) => s !== a))];
  }
  return Array.from({ length: ctx.rng.int(4, 24) }, () => ctx.rng.pick(CONTROL_SIGNALS));
}

// After the runner is gone: cleanup when the first stop was TERM/USR1; a first SIGINT keeps unless a later
// TERM/USR1 reached the runner before it finished (then the upgrade shows in stopReason).
function checkFate(ctx: TrialContext, seq: Sig[], early: boolean): void {
  const first = seq.find((s) => s !== 'SIGHUP');
  const status = readStatus(ctx);
  if (first !== 'SIGINT') {
    if (status && !early)
      ctx.problems.push(`cleanup left status: phase ${status.phase}, error ${status.error}`);
    return;
  }
  if (status?.dataDir.state === 'kept' && /then/.test(status.stopReason ?? ''))
    ctx.problems.push(`an upgraded stop kept the data: ${status.stopReason}`);
  if (status && status.dataDir.state !== 'kept') ctx.problems.push(`status left: ${JSON.stringify(status)}`);
  removeKeptData(ctx); // the user removes kept data
}

// Signals straight to the runner pid, once ready or while it starts.
export function sendSignalPattern(pattern: 'twice' | 'crossed' | 'storm'): Scenario {
  return {
    name: `signals-${pattern}`,
    async run(ctx) {
      const early = ctx.rng.chance(0.25);
      ctx.faults.push(`signals-${pattern}${early ? '-before-ready' : ''}`);
      let seq = buildSequence(ctx, pattern);
      const starting = startServer(buildOptions(ctx, pickMode(ctx)));
      const outcome = starting.then(
        (i) => i,
        (e: Error) => e,
      );
      const pid = early
        ? await waitFor('a runner pid', () => readStatus(ctx)?.watcherPid, 10_000, 2)
        : ((await starting).watcherPid as number);
      notePids(ctx);
      ctx.notes.push(`signals: ${seq.join(' ')}`);
      for (const s of seq) {
        sendSignal(pid, s);
        if (ctx.rng.chance(0.6)) await sleep(ctx.rng.int(0, 15));
      }
      if (seq.every((s) => s === 'SIGHUP')) {
        await sleep(ctx.rng.int(0, 50));
        sendSignal(pid, 'SIGTERM');
        seq = [...seq, 'SIGTERM'];
      }
      const result = await outcome;
      if (result instanceof Error && !early) ctx.problems.push(`startServer: ${result.message}`);
      if (result instanceof Error && !/did not start/.test(result.message))
        ctx.problems.push(`odd failure: ${result.message}`);
      if (!(result instanceof Error) && early) ctx.defer(() => result.stop().catch(() => {}));
      await waitRunnerGone(ctx);
      notePids(ctx);
      ctx.notes.push(`status: ${JSON.stringify(readStatus(ctx))}`);
      checkFate(ctx, seq, early);
    },
  };
}

const PAIRS: [string[], string[]][] = [
  [['stop'], ['stop']],
  [['stop'], ['kill']],
  [['kill'], ['stop']],
  [['kill'], ['kill']],
  [['stop', '--keep'], ['stop']],
  [['stop'], ['stop', '--keep']],
];

// A second client racing a stop may find the instance already gone; that is a success or "no such instance".
function judgeClient(ctx: TrialContext, args: string[], r: CliOutcome): boolean {
  if (r.code === 0) return true;
  if (r.code === 2 && /no such instance/.test(r.stderr)) return false;
  ctx.problems.push(`${args.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`);
  return false;
}

// Two clients stop (or kill) the same instance at once, through the CLI or the library.
export const stopConcurrently: Scenario = {
  name: 'concurrent-stop',
  async run(ctx) {
    ctx.faults.push('concurrent-stop');
    const instance = await startServer(buildOptions(ctx, pickMode(ctx)));
    notePids(ctx);
    const [a, b] = ctx.rng.pick(PAIRS);
    const second = async (): Promise<CliOutcome> => {
      await sleep(ctx.rng.int(0, 30));
      return runTrialCli(ctx, [...b, ctx.id]);
    };
    const [ra, rb] = await Promise.all([runTrialCli(ctx, [...a, ctx.id]), second()]);
    const oks = [judgeClient(ctx, a, ra), judgeClient(ctx, b, rb)];
    if (!oks.includes(true)) ctx.problems.push('neither client reported success');
    await waitRunnerGone(ctx);
    if (a.includes('--keep') || b.includes('--keep')) removeKeptData(ctx);
    else if (readStatus(ctx))
      ctx.problems.push(`status left after a stop: ${JSON.stringify(readStatus(ctx))}`);
    await instance.stop().catch(() => {});
  },
};
