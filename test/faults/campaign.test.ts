// The fault campaign (detached backend, command driver): ≥200 seeded random trials over the issue-7 matrix, audited.
import { after, before, test } from 'node:test';
import { countTrials, runCampaign, type Scenario } from '../helpers/campaign.js';
import { crashServer, killDetachedRunnerAt, killParentAt, stopHangingServer } from './deaths.js';
import { fillDisk, removeStateDir, SmallDisk } from './hostile.js';
import { sendSignalPattern, stopConcurrently } from './signals.js';

const disk = new SmallDisk();
const canMount = process.getuid?.() === 0;
before(() => {
  if (canMount) disk.mount();
});
after(() => {
  if (canMount) disk.unmount();
});

// Scenario weights: how often each row of the matrix comes up.
const WEIGHTED: [Scenario, number][] = [
  [killParentAt('before-ready'), 3],
  [killParentAt('during-start'), 3],
  [killParentAt('running'), 4],
  [killParentAt('during-stop'), 3],
  [killDetachedRunnerAt('before-ready'), 2],
  [killDetachedRunnerAt('running'), 3],
  [killDetachedRunnerAt('during-stop'), 2],
  [crashServer, 3],
  [stopHangingServer, 2],
  [sendSignalPattern('twice'), 3],
  [sendSignalPattern('crossed'), 3],
  [sendSignalPattern('storm'), 4],
  [stopConcurrently, 3],
  [removeStateDir, 2],
  ...(canMount
    ? ([
        [fillDisk(disk, 'full-at-start'), 1],
        [fillDisk(disk, 'full-before-ready'), 1],
        [fillDisk(disk, 'full-while-running'), 1],
      ] as [Scenario, number][])
    : []),
];
const only = process.env.QUICKDB_FAULT_ONLY;
const BAG = WEIGHTED.filter(([s]) => !only || s.name.includes(only)).flatMap(([s, w]) =>
  Array<Scenario>(w).fill(s),
);

test('fault campaign: random faults, zero leaks, the parent sees the right outcome', async (t) => {
  await runCampaign(t, {
    name: 'faults',
    trials: countTrials(Number(process.env.QUICKDB_FAULT_TRIALS) || 220, 0.9),
    concurrency: 3,
    choose: (rng) => rng.pick(BAG),
  });
});
