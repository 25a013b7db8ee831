// The signal contract as a grid: {INT, TERM, USR1, HUP, parent SIGKILL/exit/zombie} × {polite, stubborn, immortal, crashing server}.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { test } from 'node:test';
import type { InstanceInfo } from '../../dist/index.js';
import { readStatusFile, type Status } from '../../dist/state/records/status.js';
import { fixtureOptions, type Mode, readTrace, spawnParent, startFixture } from '../helpers/instance.js';
import { waitFor } from '../helpers/poll.js';
import { isRunning, procState, waitGone } from '../helpers/proc.js';

type Behaviour = Mode | 'crash';
type Event = 'SIGINT' | 'SIGTERM' | 'SIGUSR1' | 'SIGHUP' | 'parent-kill' | 'parent-exit' | 'parent-zombie';

const BEHAVIOURS: Behaviour[] = ['polite', 'stubborn', 'immortal', 'crash'];
const EVENTS: Event[] = [
  'SIGINT',
  'SIGTERM',
  'SIGUSR1',
  'SIGHUP',
  'parent-kill',
  'parent-exit',
  'parent-zombie',
];

const statusOf = (info: InstanceInfo): Status | null => readStatusFile(join(info.stateDir, 'status.json'));

// What the fixture's trace must show for a stop that reached it (no crash).
function expectedTrace(mode: Mode, fast: boolean): string[] {
  if (fast) return mode === 'immortal' ? ['got SIGQUIT, ignoring it'] : ['got SIGQUIT, exiting'];
  if (mode === 'polite') return ['got SIGTERM, exiting'];
  if (mode === 'stubborn') return ['got SIGTERM, ignoring it', 'got SIGQUIT, exiting'];
  return ['got SIGTERM, ignoring it', 'got SIGQUIT, ignoring it'];
}

async function start(t: TestContext, event: Event, mode: Mode) {
  if (!event.startsWith('parent')) {
    const { info, trace } = await startFixture(t, { mode });
    return { info, trace, parentPid: null as number | null, keeper: undefined };
  }
  const { options, trace } = fixtureOptions(t, { mode });
  const zombie = event === 'parent-zombie';
  // The zombie case checks the PID watch alone: a zombie has no open sockets, so no lifeline either way.
  const parent = await spawnParent(t, { ...options, parent: 'self' as never, lifeline: !zombie }, zombie);
  return { info: parent.info, trace, parentPid: parent.info.parentPid, keeper: parent.keeper };
}

async function deliver(event: Event, info: InstanceInfo, parentPid: number | null): Promise<void> {
  if (!event.startsWith('parent')) {
    process.kill(info.watcherPid, event as NodeJS.Signals);
    return;
  }
  assert.ok(parentPid);
  process.kill(parentPid, event === 'parent-kill' ? 'SIGKILL' : 'SIGUSR2');
  if (event === 'parent-zombie')
    await waitFor('the parent to be a zombie', () => procState(parentPid) === 'Z');
}

async function crashServer(info: InstanceInfo, quiet: boolean): Promise<void> {
  process.kill(info.serverPid as number, 'SIGUSR2');
  const status = await waitFor('phase server-exited', () =>
    statusOf(info)?.phase === 'server-exited' ? statusOf(info) : null,
  );
  assert.deepEqual(status.exit, { code: 3, signal: null, unexpected: true });
  if (quiet) assert.equal(status.error, null, 'a quiet watcher reports nothing');
  else assert.match(status.error ?? '', /exited on its own with code 3/);
  assert.ok(existsSync(info.dataDir), 'the data dir stays after the server exits on its own');
  assert.ok(isRunning(info.watcherPid), 'the watcher keeps watching');
}

async function runCase(t: TestContext, event: Event, behaviour: Behaviour): Promise<void> {
  const mode: Mode = behaviour === 'crash' ? 'polite' : behaviour;
  const { info, trace, parentPid, keeper } = await start(t, event, mode);
  t.after(() => keeper?.kill('SIGKILL'));
  const serverPid = info.serverPid as number;
  if (event === 'SIGHUP') {
    process.kill(info.watcherPid, 'SIGHUP');
    await waitFor('status.quiet', () => statusOf(info)?.quiet);
  }
  if (behaviour === 'crash') await crashServer(info, event === 'SIGHUP');
  if (event === 'SIGHUP') {
    assert.equal(isRunning(info.watcherPid), true, 'SIGHUP does not stop the watcher');
    assert.equal(behaviour === 'crash' || isRunning(serverPid), true, 'SIGHUP leaves the server alone');
    assert.ok(existsSync(info.dataDir));
    process.kill(info.watcherPid, 'SIGTERM');
  } else {
    await deliver(event, info, parentPid);
  }
  await waitGone(serverPid);
  await waitGone(info.watcherPid);
  const keep = event === 'SIGINT';
  assert.equal(
    existsSync(info.dataDir),
    keep,
    keep ? 'SIGINT keeps the data dir' : 'the data dir is deleted',
  );
  const status = statusOf(info);
  const errorReported = behaviour === 'crash' && event !== 'SIGHUP';
  if (keep || errorReported) {
    assert.ok(status, 'status.json is kept when data is kept or an error was reported');
    assert.equal(status.phase, 'done');
    assert.equal(status.dataDir.state, keep ? 'kept' : 'deleted');
  } else {
    assert.equal(existsSync(info.stateDir), false, 'a clean stop removes the state dir');
  }
  const lines = readTrace(trace).filter((l) => l.startsWith('got'));
  if (behaviour === 'crash') {
    assert.deepEqual(
      lines,
      ['got SIGUSR2, crashing with code 3'],
      'nothing is sent to a server that is already gone',
    );
  } else {
    assert.deepEqual(lines, expectedTrace(mode, event === 'SIGUSR1'));
    if (keep) assert.equal(status?.escalations.length, { polite: 0, stubborn: 1, immortal: 2 }[mode]);
  }
}

for (const behaviour of BEHAVIOURS) {
  for (const event of EVENTS) {
    test(`${event} × ${behaviour} server`, (t) => runCase(t, event, behaviour));
  }
}
