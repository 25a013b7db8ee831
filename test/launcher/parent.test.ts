// The default parent: which command lines are wrappers (npm, npx, sh -c) that `up` climbs over.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { findRequesterPid, isWrapperCommand } from '../../dist/launcher/parent.js';
import { readProcStat } from '../../dist/state/procstat.js';
import { waitFor } from '../helpers/poll.js';
import { killIfRunning } from '../helpers/proc.js';

const table: [string[], boolean][] = [
  [['npm', 'test'], true],
  [['npx', 'quickdb-watcher', 'up'], true],
  [['npm exec quickdb-watcher up --format json'], true],
  [['/usr/bin/node', '/usr/lib/node_modules/npm/bin/npx-cli.js', 'quickdb-watcher'], true],
  [['sh', '-c', 'quickdb-watcher up'], true],
  [['/bin/bash', '-c', 'quickdb-watcher up'], true],
  [['bash'], false],
  [['-bash'], false],
  [['node', 'test.js'], false],
  [['/usr/bin/python3', 'ci.py'], false],
];

for (const [argv, wrapper] of table) {
  test(`isWrapperCommand(${JSON.stringify(argv)}) is ${wrapper}`, () => {
    assert.equal(isWrapperCommand(argv), wrapper);
  });
}

test('findRequesterPid climbs over a real `sh -c` to the process that ran it', async (t) => {
  const outer = spawn('sh', ['-c', 'sleep 1000; true'], { stdio: 'ignore' });
  t.after(() => killIfRunning(outer.pid));
  const sleeper = await waitFor('the sleep child', async () => {
    const { findProcesses } = await import('../helpers/proc.js');
    // Only the sleep that this test's shell started, never another one on the machine.
    return findProcesses('sleep 1000').find((pid) => readProcStat(pid)?.ppid === outer.pid);
  });
  t.after(() => killIfRunning(sleeper));
  assert.equal(findRequesterPid(outer.pid as number), process.pid);
});
