// Subshell detection on real processes: a `$(…)` subshell is a fork of its shell, a nested shell with the very same
// argv is not, hidden /proc facts are "cannot tell", and the walk refuses what it cannot trust.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { type TestContext, test } from 'node:test';
import { resolveRequester } from '../../dist/parent/parent.js';
import { compareWithParent, describeHost, readProcFacts } from '../../dist/parent/shell-parent.js';
import { waitFor } from '../helpers/poll.js';
import { findProcesses, killIfRunning } from '../helpers/proc.js';

const linux = process.platform === 'linux';

// Run `bash -c SCRIPT ...args` and return the chain from its `sleep 1000` up to the bash (child first).
async function startChain(t: TestContext, script: string, args: string[] = []): Promise<number[]> {
  const bash = spawn('bash', ['-c', script, ...args], { stdio: 'ignore' });
  t.after(() => killIfRunning(bash.pid));
  const chainOf = (pid: number): number[] | null => {
    const chain = [pid];
    for (let p = pid; p !== bash.pid; chain.push(p)) {
      p = readProcFacts(p)?.ppid ?? 0;
      if (p <= 1) return null;
    }
    return chain;
  };
  const chain = await waitFor('the sleep under this bash', () =>
    findProcesses('sleep 1000')
      .filter((pid) => readProcFacts(pid)?.cmdline.join(' ') === 'sleep 1000')
      .map(chainOf)
      .find((c) => c !== null),
  );
  for (const pid of chain) t.after(() => killIfRunning(pid));
  return chain;
}

test('a $(… | …) subshell is a fork of its shell, and the walk from it ends at that shell', {
  skip: !linux,
}, async (t) => {
  const [, subshell, shell] = await startChain(t, 'X=$(sleep 1000 | cat); true');
  const child = readProcFacts(subshell as number);
  const parent = readProcFacts(shell as number);
  assert.ok(child && parent);
  assert.equal(compareWithParent(child, parent), 'fork');
  assert.deepEqual(resolveRequester(subshell), { pid: shell });
  // The same facts with the memory layout hidden (another user's process, hidepid): it cannot be told.
  assert.equal(compareWithParent({ ...child, memory: null }, parent), 'unknown');
  assert.equal(compareWithParent({ ...child, exe: null }, parent), 'unknown');
});

test('a nested shell with the very same argv, exe and session is not a fork (it was exec-ed)', {
  skip: !linux,
}, async (t) => {
  const script = '[ -n "$NESTED" ] && { sleep 1000; exit; }; NESTED=1 bash -c "$0" "$0"; :';
  const [, inner, outer] = await startChain(t, script, [script]);
  const child = readProcFacts(inner as number);
  const parent = readProcFacts(outer as number);
  assert.ok(child && parent);
  assert.deepEqual(child.cmdline, parent.cmdline, 'the same argv');
  assert.equal(child.session, parent.session);
  assert.equal(compareWithParent(child, parent), 'exec');
  assert.deepEqual(resolveRequester(inner), { pid: inner });
});

test('the walk refuses a caller that has exited, naming --parent $$ and exec', { skip: !linux }, () => {
  const gone = spawnSync('true').pid;
  const found = resolveRequester(gone);
  assert.ok('refusal' in found);
  assert.match(
    found.refusal,
    new RegExp(`calling process ${gone} has exited.*--parent \\$\\$.*quickdb-watcher exec`),
  );
});

test('pid 1 (when it is not a shell or npm) is a host; this test process is not', { skip: !linux }, () => {
  const init = readProcFacts(1);
  const self = readProcFacts(process.pid);
  assert.ok(self);
  assert.equal(describeHost(self), null);
  if (init && !/^(sh|bash|dash|node|npm)$/.test(init.comm)) assert.match(describeHost(init) ?? '', /pid 1/);
});
