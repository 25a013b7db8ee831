// Post-stop after a runner killed while tidying up: it finishes removing the state dir, and touches nothing foreign.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import type { Status } from '../../dist/state/records/status.js';
import { stateRoot } from '../helpers/env.js';
import { RUNNER, writeSpec } from '../helpers/spec.js';

// Run the runner's post-stop step as systemd's ExecStopPost does; returns its exit code and stderr.
function postStop(specPath: string): { code: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [RUNNER, '--post-stop', specPath], { encoding: 'utf8' });
  return { code: result.status, stderr: result.stderr };
}

// A status.json as a runner that finished leaves it (its pid long gone).
function finishedStatus(id: string, overrides: Partial<Status>): Status {
  return {
    id,
    phase: 'done',
    watcherPid: spawnSync('true').pid ?? 1,
    watcherStartTime: '1',
    serverPid: null,
    serverStartTime: null,
    quiet: false,
    stopReason: 'SIGTERM',
    exit: { code: 0, signal: null, unexpected: false },
    error: null,
    dataDir: { state: 'deleted' },
    escalations: [],
    times: { ready: new Date().toISOString(), done: new Date().toISOString() },
    ...overrides,
  };
}

// A state dir whose spec.json the runner already removed, holding the given files.
function makeHalfRemovedDir(t: TestContext, files: string[]): string {
  const dir = join(stateRoot(), `half-removed-${process.pid}-${files.join('-')}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const name of files) writeFileSync(join(dir, name), `${name}\n`);
  return dir;
}

test('post-stop after a runner killed mid-removal (systemd re-created runner.log): the state dir goes', (t) => {
  const dir = makeHalfRemovedDir(t, ['runner.log', 'status.json.4242.tmp']);
  const { code, stderr } = postStop(join(dir, 'spec.json'));
  assert.equal(code, 0, stderr);
  assert.equal(existsSync(dir), false, 'the half-removed state dir is gone');
});

test('post-stop without a spec removes only state files by name: a foreign file keeps the dir', (t) => {
  const dir = makeHalfRemovedDir(t, ['runner.log', 'notes.txt']);
  const { code, stderr } = postStop(join(dir, 'spec.json'));
  assert.equal(code, 0, stderr);
  assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'notes.txt\n', 'the foreign file survives');
  assert.equal(existsSync(join(dir, 'runner.log')), false);
});

const finishes: [string, Partial<Status>, boolean][] = [
  ['a clean finish (data deleted)', {}, false],
  ['a finish with an error', { error: 'server exited with code 3' }, true],
  ['a keep (data kept)', { stopReason: 'SIGINT', dataDir: { state: 'kept', reason: 'keep' } }, true],
  ['a failed finish', { phase: 'failed', dataDir: { state: 'refused', reason: 'no marker' } }, true],
];

for (const [name, overrides, kept] of finishes) {
  test(`post-stop after a runner killed between "done" and tidying, ${name}: state ${kept ? 'kept' : 'removed'}`, (t) => {
    const { spec, path } = writeSpec(t);
    t.after(() => rmSync(spec.stateDir, { recursive: true, force: true }));
    if (!kept) rmSync(spec.dataDir, { recursive: true });
    writeFileSync(join(spec.stateDir, 'status.json'), JSON.stringify(finishedStatus(spec.id, overrides)));
    const { code, stderr } = postStop(path);
    assert.equal(code, 0, stderr);
    assert.equal(
      existsSync(join(spec.stateDir, 'status.json')),
      kept,
      'the record is kept only when worth reading',
    );
    if (kept)
      assert.equal(existsSync(spec.dataDir), true, 'post-stop of a finished runner never deletes data');
  });
}

// The data dir as a runner killed mid-deletion leaves it; status says the deletion had started.
const cutShort: [string, (dataDir: string) => void, boolean][] = [
  ['after the marker went (an empty dir)', (d) => rmSync(join(d, '.quickdb-watcher')), true],
  ['before the marker went (files left)', (d) => writeFileSync(join(d, 'PG_VERSION'), '16\n'), true],
  [
    'but the dir holds content and no marker',
    (d) => {
      rmSync(join(d, '.quickdb-watcher'));
      writeFileSync(join(d, 'precious.txt'), 'keep me');
    },
    false,
  ],
];

for (const [name, shape, deleted] of cutShort) {
  test(`post-stop resumes a data-dir deletion cut short ${name}: ${deleted ? 'deleted' : 'refused'}`, (t) => {
    const { spec, path } = writeSpec(t);
    t.after(() => rmSync(spec.stateDir, { recursive: true, force: true }));
    shape(spec.dataDir);
    const status = finishedStatus(spec.id, { phase: 'cleaning', dataDir: { state: 'deleting' } });
    writeFileSync(join(spec.stateDir, 'status.json'), JSON.stringify(status));
    const { code, stderr } = postStop(path);
    assert.equal(code, deleted ? 0 : 1, stderr);
    assert.equal(existsSync(spec.dataDir), !deleted);
    assert.equal(existsSync(spec.stateDir), !deleted, 'the record stays only with a refusal to report');
    if (!deleted) assert.equal(readFileSync(join(spec.dataDir, 'precious.txt'), 'utf8'), 'keep me');
  });
}
