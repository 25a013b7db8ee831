// The parent is identified once: the start time read when the options are normalized is the one spec.json records,
// with no second read in between (a parent gone, or its pid reused, by the time the spec is written is not
// re-identified as whatever holds the pid then).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { normalizeInternalOptions } from '../../dist/launch/options/normalize.js';
import { prepareInstance } from '../../dist/launch/prepare.js';
import { loadValidDriver } from '../../dist/launch/valid-driver.js';
import { readProcStat } from '../../dist/state/process/procstat.js';
import { stateRoot } from '../helpers/env.js';
import { killIfRunning, waitGone } from '../helpers/proc.js';

// A `sleep` to stand for a parent (and one for its heir): its pid and start time, killed after the test.
function spawnSleeper(t: { after(fn: () => void): void }): { pid: number; startTime: string } {
  const child = spawn('sleep', ['1000'], { stdio: 'ignore' });
  const pid = child.pid as number;
  t.after(() => killIfRunning(pid));
  return { pid, startTime: readProcStat(pid)?.startTime as string };
}

test('spec.json records the parent and heir start times read at normalize time, not read again', async (t) => {
  const parent = spawnSleeper(t);
  const heir = spawnSleeper(t);
  const options = normalizeInternalOptions({
    driver: 'command',
    args: ['sleep', '1'],
    parent: parent.pid,
    heir: heir.pid,
    lifeline: false,
    stateRoot: stateRoot(),
  });
  // Both go before the spec is written: a second read would now find nothing (or whatever reused the pids).
  for (const p of [parent, heir]) {
    killIfRunning(p.pid);
    assert.ok(await waitGone(p.pid), `sleeper ${p.pid} is gone`);
  }
  const prepared = await prepareInstance(options, await loadValidDriver(options), 'detached');
  t.after(() => prepared.discard());
  const spec = JSON.parse(readFileSync(prepared.paths.spec, 'utf8'));
  assert.equal(spec.parent.pid, parent.pid);
  assert.equal(
    spec.parent.startTime,
    parent.startTime,
    'the parent as identified when the options were checked',
  );
  assert.deepEqual(spec.parent.heir, { pid: heir.pid, startTime: heir.startTime }, 'the heir likewise');
  assert.deepEqual(prepared.spec.parent, spec.parent, 'what was written is what the launch goes on with');
});
