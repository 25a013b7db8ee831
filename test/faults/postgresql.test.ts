// The fault campaign with a real PostgreSQL: deaths and signals must leave no backend, socket, data dir or SysV IPC.
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer } from '../../dist/index.js';
import { countTrials, runCampaign, type Scenario, type TrialContext } from '../helpers/campaign.js';
import { testBase } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import {
  collectTrialGarbage,
  notePids,
  readStatus,
  sendSignal,
  spawnParentProcess,
  waitRunnerGone,
} from './kit.js';

// PostgreSQL options for a trial; as root the server runs as its own user, which must reach the sandbox (o+x).
function buildPgOptions(ctx: TrialContext) {
  process.env.QUICKDB_WATCHER_CACHE ??= join(testBase(), 'cache');
  if (process.getuid?.() === 0) chmodSync(testBase(), 0o711);
  return {
    driver: 'postgresql' as const,
    id: ctx.id,
    stateRoot: ctx.stateRoot,
    backend: 'detached' as const,
    stopGraceMs: 3000,
    fastGraceMs: 1000,
    pollMs: 20,
  };
}

// server-sigkill: the postmaster itself is SIGKILLed first (its SysV segment is then left for the cleanup to remove).
const ENDINGS = [
  'SIGTERM',
  'SIGUSR1',
  'SIGINT+SIGTERM',
  'parent-sigkill',
  'runner-sigkill+gc',
  'server-sigkill+SIGTERM',
  'server-sigkill+runner-sigkill+gc',
] as const;

// One PostgreSQL instance ended by a random fault.
const endPostgres: Scenario = {
  name: 'postgresql',
  async run(ctx) {
    const how = ctx.rng.pick(ENDINGS);
    ctx.faults.push(`postgresql:${how}`);
    if (how === 'parent-sigkill') {
      const parent = spawnParentProcess(ctx, buildPgOptions(ctx));
      if (!(await parent.info)) ctx.problems.push('the parent ended before ready');
      notePids(ctx);
      await sleep(ctx.rng.int(0, 200));
      parent.child.kill('SIGKILL');
      await waitRunnerGone(ctx);
      return;
    }
    const instance = await startServer(buildPgOptions(ctx));
    notePids(ctx);
    await sleep(ctx.rng.int(0, 200));
    if (how.startsWith('server-sigkill+')) sendSignal(instance.info.serverPid, 'SIGKILL');
    if (how.endsWith('runner-sigkill+gc')) {
      sendSignal(instance.watcherPid, 'SIGKILL');
      await waitRunnerGone(ctx);
      await collectTrialGarbage(ctx);
      return;
    }
    if (how === 'server-sigkill+SIGTERM') {
      await waitFor('the server’s death in status.json', () => readStatus(ctx)?.phase === 'server-exited');
      sendSignal(instance.watcherPid, 'SIGTERM');
      await waitRunnerGone(ctx);
      await collectTrialGarbage(ctx); // the crash's error keeps the record until gc
      return;
    }
    for (const s of how.split('+')) sendSignal(instance.watcherPid, s as NodeJS.Signals);
    await waitRunnerGone(ctx);
    if (readStatus(ctx)) ctx.problems.push(`status left: ${JSON.stringify(readStatus(ctx))}`);
  },
};

test('fault campaign with PostgreSQL: no backend, socket, data dir or SysV IPC left', async (t) => {
  await runCampaign(t, {
    name: 'faults-pg',
    trials: countTrials(8, 0.03),
    concurrency: 1,
    choose: () => endPostgres,
    ipc: true,
  });
});
