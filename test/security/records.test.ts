// Records read back from the state dir are not trusted: a spec pointing elsewhere is refused where it was found,
// and a status.json naming a pid that is not provably the instance's own never causes a signal.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { collectGarbage } from '../../dist/manage/gc.js';
import { listInstances } from '../../dist/manage/inventory.js';
import { readProcStat } from '../../dist/state/process/procstat.js';
import { createStatus, type Status } from '../../dist/state/records/status.js';
import { runCli } from '../helpers/cli.js';
import { scratchDir, stateRoot } from '../helpers/env.js';
import { isRunning, killIfRunning } from '../helpers/proc.js';
import { RUNNER, writeSpec } from '../helpers/spec.js';

// A status.json of a runner that died while its server was up (its own pid long gone).
function deadRunnerStatus(id: string, overrides: Record<string, unknown> = {}): Status {
  const now = new Date().toISOString();
  return {
    ...createStatus(id, 'ready', { pid: 2, startTime: '1' }),
    watcherPid: spawnSync('true').pid ?? 2,
    times: { starting: now, ready: now },
    ...overrides,
  } as Status;
}

// Run the runner's post-stop step as systemd's ExecStopPost does.
function postStop(specPath: string): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [RUNNER, '--post-stop', specPath], { encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}

// A `sleep` in its own process group, untagged: something a bogus record might point at.
function spawnDecoy(t: TestContext): ChildProcess & { pid: number } {
  const decoy = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
  t.after(() => killIfRunning(decoy.pid));
  return decoy as ChildProcess & { pid: number };
}

test('a spec whose stateDir/stateRoot point elsewhere is refused by gc, list and post-stop; the decoy survives', async (t) => {
  const { spec, path } = writeSpec(t);
  t.after(() => rmSync(spec.stateDir, { recursive: true, force: true }));
  const decoyRoot = scratchDir(t, 'decoy-root-');
  const decoyDir = join(decoyRoot, spec.id);
  mkdirSync(decoyDir);
  writeFileSync(join(decoyDir, 'precious.txt'), 'keep me');
  writeFileSync(join(spec.stateDir, 'status.json'), JSON.stringify(deadRunnerStatus(spec.id)));
  writeFileSync(path, JSON.stringify({ ...spec, stateRoot: decoyRoot, stateDir: decoyDir }));

  const view = listInstances(stateRoot()).find((v) => v.id === spec.id);
  assert.equal(view?.phase, 'invalid');
  assert.match(view?.error ?? '', /stateDir/);
  const post = postStop(path);
  assert.equal(post.code, 2, post.stderr);
  assert.match(post.stderr, /stateDir/);
  const actions = await collectGarbage(stateRoot(), { launchGraceMs: 0 });
  const mine = actions.find((a) => a.id === spec.id);
  assert.equal(mine?.action, 'skipped', JSON.stringify(mine));
  assert.match(mine?.detail ?? '', /stateDir/);
  assert.equal(readFileSync(join(decoyDir, 'precious.txt'), 'utf8'), 'keep me');
  assert.deepEqual(
    (await import('node:fs')).readdirSync(decoyDir),
    ['precious.txt'],
    'nothing written there',
  );
  assert.ok(existsSync(join(spec.dataDir, '.quickdb-watcher')), 'no action at all on a refused record');
});

test('readSpecFile refuses an id, state dir or data dir that does not match where the spec was found', async (t) => {
  const { readSpecFile } = await import('../../dist/state/records/records.js');
  const root = stateRoot();
  const other = writeSpec(t).spec;
  const cases: [string, Record<string, unknown>][] = [
    ['id', { id: other.id }],
    ['stateDir', { stateDir: other.stateDir }],
    ['stateRoot', { stateRoot: '/' }],
    ['dataDir', { dataDir: root, dataDirReal: root }],
    ['dataDir', { dataDir: other.stateDir, dataDirReal: other.stateDir }],
    ['dataDir', { dataDir: other.dataDir, dataDirReal: other.dataDir }],
    ['dataDir', { dataDir: join(root, 'loose'), dataDirReal: join(root, 'loose') }],
    ['dataDir', { dataDir: '/', dataDirReal: '/' }],
    ['dataDirReal', { dataDirReal: other.dataDir }],
  ];
  for (const [field, patch] of cases) {
    const { spec, path } = writeSpec(t);
    t.after(() => rmSync(spec.stateDir, { recursive: true, force: true }));
    writeFileSync(path, JSON.stringify({ ...spec, ...patch }));
    const read = readSpecFile(path);
    assert.equal(read.ok, false, `${JSON.stringify(patch)} accepted`);
    if (!read.ok) assert.match(read.reason, new RegExp(field), read.reason);
  }
  const good = writeSpec(t);
  t.after(() => rmSync(good.spec.stateDir, { recursive: true, force: true }));
  const outside = scratchDir(t, 'outside-data-');
  writeFileSync(good.path, JSON.stringify({ ...good.spec, dataDir: outside, dataDirReal: outside }));
  assert.equal(readSpecFile(good.path).ok, true, 'a data dir outside the state root is fine');
  rmSync(other.stateDir, { recursive: true, force: true });
});

test('a status.json naming a live unrelated process (start time missing, wrong or forged) never causes a signal', async (t) => {
  const decoy = spawnDecoy(t);
  const decoyStart = readProcStat(decoy.pid)?.startTime;
  assert.ok(decoyStart);
  const variants: Record<string, unknown>[] = [
    { serverPid: decoy.pid, serverStartTime: null },
    { serverPid: decoy.pid, serverStartTime: `${decoyStart}1` },
    // Its real start time: a forged record can read it from /proc; the decoy is still not the instance's.
    { serverPid: decoy.pid, serverStartTime: decoyStart },
  ];
  for (const variant of variants) {
    const a = writeSpec(t);
    t.after(() => rmSync(a.spec.stateDir, { recursive: true, force: true }));
    writeFileSync(join(a.spec.stateDir, 'status.json'), JSON.stringify(deadRunnerStatus(a.spec.id, variant)));
    postStop(a.path);
    assert.ok(isRunning(decoy.pid), `post-stop signalled the decoy for ${JSON.stringify(variant)}`);
    const b = writeSpec(t);
    t.after(() => rmSync(b.spec.stateDir, { recursive: true, force: true }));
    writeFileSync(join(b.spec.stateDir, 'status.json'), JSON.stringify(deadRunnerStatus(b.spec.id, variant)));
    const actions = await collectGarbage(stateRoot(), { launchGraceMs: 0 });
    assert.ok(isRunning(decoy.pid), `gc signalled the decoy for ${JSON.stringify(variant)}`);
    const said = actions.find((a) => a.id === b.spec.id)?.detail ?? '';
    assert.doesNotMatch(said, /killed/, `gc says it killed what it left alone: ${said}`);
  }
  for (const watcherStartTime of [null, `${decoyStart}1`, decoyStart]) {
    const c = writeSpec(t);
    t.after(() => rmSync(c.spec.stateDir, { recursive: true, force: true }));
    const status = deadRunnerStatus(c.spec.id, { watcherPid: decoy.pid, watcherStartTime });
    writeFileSync(join(c.spec.stateDir, 'status.json'), JSON.stringify(status));
    for (const action of ['stop', 'kill', 'quiet']) {
      const r = await runCli([action, c.spec.id]);
      assert.ok(isRunning(decoy.pid), `${action} signalled the decoy (watcherStartTime ${watcherStartTime})`);
      assert.notEqual(r.code, 0, `${action} claimed success: ${r.stdout}`);
    }
  }
});

test('status.json is validated like input: pids, phase and types; invalid is unreadable with a reason', async () => {
  const { validateStatus } = await import('../../dist/state/records/status.js');
  const good = deadRunnerStatus('x');
  assert.doesNotThrow(() => validateStatus(good));
  // null: no watcher ever recorded itself (a backstop's record of a launch that never ran).
  assert.equal(validateStatus({ ...good, watcherPid: null }).watcherPid, null);
  const bad: [string, Record<string, unknown>][] = [
    ['serverPid', { serverPid: 1 }],
    ['serverPid', { serverPid: 0 }],
    ['serverPid', { serverPid: -5 }],
    ['serverPid', { serverPid: 2.5 }],
    ['serverPid', { serverPid: '42' }],
    ['watcherPid', { watcherPid: 1 }],
    ['watcherPid', { watcherPid: '42' }],
    ['finishedBy.by', { finishedBy: { by: 'someone', pid: 42, startTime: '1', at: 'now' } }],
    ['finishedBy.pid', { finishedBy: { by: 'gc', pid: 1, startTime: '1', at: 'now' } }],
    ['phase', { phase: 'exploded' }],
    ['id', { id: '../x' }],
    ['serverStartTime', { serverStartTime: 5 }],
    ['dataDir.state', { dataDir: { state: 'gone' } }],
    ['escalations', { escalations: [1] }],
    ['quiet', { quiet: 'yes' }],
  ];
  for (const [field, patch] of bad)
    assert.throws(
      () => validateStatus({ ...good, ...patch }),
      (e: Error) => e.message.includes(`"${field}"`),
      field,
    );
});

test('pid 1, 0, -5, our own pid and our own group (start times matching) are never signalled by gc, post-stop or stop', async (t) => {
  const ownGroup = readProcStat(process.pid)?.pgid as number;
  const ownStart = readProcStat(process.pid)?.startTime as string;
  const groupStart = readProcStat(ownGroup)?.startTime ?? ownStart;
  const variants: Record<string, unknown>[] = [
    { serverPid: 1, serverStartTime: readProcStat(1)?.startTime ?? null },
    { serverPid: 0, serverStartTime: '1' },
    { serverPid: -5, serverStartTime: '1' },
    { serverPid: process.pid, serverStartTime: ownStart },
    { serverPid: ownGroup, serverStartTime: groupStart },
  ];
  const decoy = spawnDecoy(t);
  for (const variant of variants) {
    const a = writeSpec(t);
    t.after(() => rmSync(a.spec.stateDir, { recursive: true, force: true }));
    writeFileSync(join(a.spec.stateDir, 'status.json'), JSON.stringify(deadRunnerStatus(a.spec.id, variant)));
    // In-process: "our own" pid and group are this test's.
    await collectGarbage(stateRoot(), { launchGraceMs: 0 });
    const b = writeSpec(t);
    t.after(() => rmSync(b.spec.stateDir, { recursive: true, force: true }));
    writeFileSync(join(b.spec.stateDir, 'status.json'), JSON.stringify(deadRunnerStatus(b.spec.id, variant)));
    // A child in our group: our group is its own.
    postStop(b.path);
    assert.ok(isRunning(decoy.pid), `the decoy was hit by ${JSON.stringify(variant)}`);
  }
  for (const runner of [
    { watcherPid: 1, watcherStartTime: '1' },
    { watcherPid: ownGroup, watcherStartTime: groupStart },
  ]) {
    const c = writeSpec(t);
    t.after(() => rmSync(c.spec.stateDir, { recursive: true, force: true }));
    writeFileSync(join(c.spec.stateDir, 'status.json'), JSON.stringify(deadRunnerStatus(c.spec.id, runner)));
    const r = await runCli(['stop', c.spec.id]);
    assert.notEqual(r.code, 0, r.stdout);
  }
  assert.ok(isRunning(decoy.pid), 'still here: nothing in our group or machine-wide was signalled');
});

test('stop, kill and status refuse an id that would name a dir outside the state root', async (t) => {
  const outside = join(stateRoot(), '..', `escape-${process.pid}`);
  mkdirSync(outside, { recursive: true });
  t.after(() => rmSync(outside, { recursive: true, force: true }));
  writeFileSync(join(outside, 'precious.txt'), 'keep me');
  for (const action of ['stop', 'kill', 'status']) {
    const r = await runCli([action, `../escape-${process.pid}`]);
    assert.equal(r.code, 2, `${action}: ${r.stdout}${r.stderr}`);
  }
  assert.equal(readFileSync(join(outside, 'precious.txt'), 'utf8'), 'keep me');
});
