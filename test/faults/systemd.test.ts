// The fault campaign under a real (private) systemd user manager: parent and runner SIGKILLs, signals; ExecStopPost backstops.
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer } from '../../dist/index.js';
import { countTrials, runCampaign, type Scenario } from '../helpers/campaign.js';
import { requireOrSkip } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import {
  canRunUserManager,
  listQuickdbUnits,
  showUnit,
  startUserManager,
  type UserManager,
} from '../helpers/systemd.js';
import { killParentAt, pickMode } from './deaths.js';
import { buildOptions, notePids, sendSignal, trialDefaults } from './kit.js';
import { sendSignalPattern, stopConcurrently } from './signals.js';

const AVAILABLE = canRunUserManager();
let manager: UserManager | null = null;
before(async () => {
  if (!AVAILABLE) return;
  manager = await startUserManager();
  process.env.XDG_RUNTIME_DIR = manager.runtimeDir;
  trialDefaults.backend = 'systemd';
});
after(async () => {
  for (const unit of manager ? listQuickdbUnits(manager) : [])
    execFileSync('systemctl', ['--user', 'stop', unit], { env: manager?.env });
  await manager?.stop();
});

// The runner SIGKILLed while running or stopping: systemd kills the cgroup, ExecStopPost cleans up; no gc.
function killSystemdRunnerAt(moment: 'running' | 'during-stop'): Scenario {
  return {
    name: `runner-sigkill-systemd:${moment}`,
    async run(ctx) {
      ctx.faults.push(`runner-sigkill-systemd:${moment}`);
      const instance = await startServer(buildOptions(ctx, pickMode(ctx)));
      notePids(ctx);
      const stopping = moment === 'during-stop' ? instance.stop().catch((e: Error) => e.message) : null;
      await sleep(ctx.rng.int(0, 80));
      sendSignal(instance.watcherPid, 'SIGKILL');
      const failure = await stopping;
      if (typeof failure === 'string' && !/did not finish cleanly|is not running/.test(failure))
        ctx.problems.push(`stop failed oddly: ${failure}`);
      const unit = `quickdb-${ctx.id}.service`;
      await waitFor(
        'ExecStopPost and the unit to go',
        () => !listQuickdbUnits(manager as UserManager).includes(unit),
        20_000,
      );
    },
  };
}

const BAG: Scenario[] = [
  killSystemdRunnerAt('running'),
  killSystemdRunnerAt('during-stop'),
  killParentAt('running'),
  killParentAt('during-stop'),
  sendSignalPattern('crossed'),
  sendSignalPattern('storm'),
  stopConcurrently,
];

test('fault campaign under systemd: the init system backstops every death, zero leaks', async (t) => {
  if (!requireOrSkip(t, AVAILABLE, 'a private systemd user manager (systemd, unshare, root)')) return;
  await runCampaign(t, {
    name: 'faults-systemd',
    trials: countTrials(24, 0.07),
    concurrency: 2,
    choose: (rng) => rng.pick(BAG),
    listUnits: (id) =>
      listQuickdbUnits(manager as UserManager)
        .filter((u) => u.includes(id))
        .map((u) => {
          const p = showUnit(manager as UserManager, u, ['ActiveState', 'SubState', 'Result', 'MainPID']);
          return `${u} (${p.ActiveState}/${p.SubState}, result ${p.Result}, main pid ${p.MainPID})`;
        }),
  });
});
