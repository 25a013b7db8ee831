// The default parent: which command lines are wrappers (npm, npx, sh -c) that `up` climbs over.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { type TestContext, test } from 'node:test';
import { findRequesterPid } from '../../dist/parent/parent.js';
import { isWrapperCommand, readWrapperKind } from '../../dist/parent/wrappers.js';
import { readProcStat } from '../../dist/state/process/procstat.js';
import { waitFor } from '../helpers/poll.js';
import { killIfRunning } from '../helpers/proc.js';

const table: [string[], boolean][] = [
  [['npm', 'test'], true],
  [['npx', 'quickdb-watcher', 'up'], true],
  [['npm exec quickdb-watcher up --format json'], true],
  [['/usr/bin/node', '/usr/lib/node_modules/npm/bin/npx-cli.js', 'quickdb-watcher'], true],
  [['sh', '-c', 'quickdb-watcher up'], true],
  [['/bin/bash', '-c', 'quickdb-watcher up'], true],
  [['bash', '-ec', "quickdb-watcher up --ready-log '^(READY)$' 2>&1 >|out"], true],
  [['sh', '-c', 'URL=$(quickdb-watcher up --format json | jq -r .url); psql "$URL"'], false],
  [['sh', '-c', 'quickdb-watcher up; run-tests'], false],
  [['sh', '-c', 'quickdb-watcher up | tee up.txt'], false],
  [['sh', '-c', 'quickdb-watcher up &'], false],
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

// A wrapper program by its process name; setsid waits only with -w/--wait among its own options.
const kinds: [string, string[], string | null][] = [
  ['timeout', ['timeout', '300', 'quickdb-watcher', 'up'], 'waits'],
  ['su', ['su', '-c', 'quickdb-watcher up', 'nobody'], 'waits'],
  ['nice', ['nice', 'quickdb-watcher', 'up'], 'execs'],
  ['setsid', ['setsid', 'quickdb-watcher', 'up'], 'detaches'],
  ['setsid', ['setsid', '-f', 'quickdb-watcher', 'up'], 'detaches'],
  ['setsid', ['setsid', '-w', 'quickdb-watcher', 'up'], 'waits'],
  ['setsid', ['setsid', '-fw', 'quickdb-watcher', 'up'], 'waits'],
  ['setsid', ['setsid', '--wait', 'quickdb-watcher', 'up'], 'waits'],
  ['setsid', ['setsid', 'quickdb-watcher', '-w'], 'detaches'],
  ['setsid', ['setsid', '--', '-w'], 'detaches'],
  ['bash', ['bash'], null],
  ['toString', ['toString'], null],
];

for (const [comm, cmdline, kind] of kinds) {
  test(`readWrapperKind(${comm}: ${JSON.stringify(cmdline)}) is ${kind}`, () => {
    assert.equal(readWrapperKind({ comm, cmdline }), kind);
  });
}

// Start `sh -c SCRIPT` and wait for its sleep child (or for sh to have become the sleep, where it execs a lone command).
async function startShell(t: TestContext, script: string): Promise<{ shell: number; execd: boolean }> {
  const outer = spawn('sh', ['-c', script], { stdio: 'ignore' });
  t.after(() => killIfRunning(outer.pid));
  const shell = outer.pid as number;
  const { findProcesses } = await import('../helpers/proc.js');
  const sleeper = await waitFor('the sleep child', () =>
    readProcStat(shell)?.comm === 'sleep'
      ? -1
      : // Only the sleep that this test's shell started, never another one on the machine.
        findProcesses('sleep 1000').find((pid) => readProcStat(pid)?.ppid === shell),
  );
  if (sleeper > 0) t.after(() => killIfRunning(sleeper));
  return { shell, execd: sleeper < 0 };
}

test('findRequesterPid climbs over a real `sh -c` of one command to the process that ran it', async (t) => {
  const { shell, execd } = await startShell(t, 'sleep 1000');
  if (execd) return t.skip('this sh execs a lone command: there is no wrapper to climb');
  assert.equal(findRequesterPid(shell), process.pid);
});

test('findRequesterPid stops at a `sh -c` running a script: that shell typed the command', async (t) => {
  const { shell } = await startShell(t, 'sleep 1000; true');
  assert.equal(findRequesterPid(shell), shell);
});
