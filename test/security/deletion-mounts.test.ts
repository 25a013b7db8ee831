// Deletion never crosses a mount (issue 10 item 1): a tmpfs and a bind mount inside a data dir survive the watcher's
// deletion, on Node 20 and on Node 24 (whose rmSync crossed mounts), and status.json says what was left.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { deleteOwnedDir } from '../../dist/state/files/marker.js';
import { readStatusFile } from '../../dist/state/records/status.js';
import { NODE24, requireNode24, requireOrSkip, stateRoot } from '../helpers/env.js';
import { readTrace } from '../helpers/instance.js';
import { waitFor } from '../helpers/poll.js';
import { killIfRunning, waitGone } from '../helpers/proc.js';
import { RUNNER_ARGV, writeSpec } from '../helpers/spec.js';
import { canMount, type MountScratch, mountScratch } from './mount-scratch.js';

// A data dir holding junk, a tmpfs and a bind mount of a decoy dir, each mount holding a file to keep.
function buildDataDir(scratch: MountScratch, id: string): { dataDir: string; tmpfs: string; bind: string } {
  const dataDir = join(scratch.dir, 'data');
  const decoy = join(scratch.dir, 'decoy');
  mkdirSync(join(dataDir, 'junk', 'deep'), { recursive: true });
  writeFileSync(join(dataDir, 'junk', 'deep', 'a.txt'), 'junk');
  writeFileSync(join(dataDir, '.quickdb-watcher'), `${id}\n`);
  mkdirSync(decoy);
  writeFileSync(join(decoy, 'keep.txt'), 'decoy');
  const tmpfs = join(dataDir, 'tm');
  const bind = join(dataDir, 'nested', 'bm');
  scratch.mount(tmpfs);
  writeFileSync(join(tmpfs, 'keep.txt'), 'tmpfs');
  mkdirSync(join(tmpfs, 'sub'));
  writeFileSync(join(tmpfs, 'sub', 'keep.txt'), 'tmpfs');
  scratch.mount(bind, decoy);
  return { dataDir, tmpfs, bind };
}

function assertMountsKept(scratch: MountScratch, tmpfs: string): void {
  assert.equal(readFileSync(join(scratch.dir, 'decoy', 'keep.txt'), 'utf8'), 'decoy');
  assert.equal(readFileSync(join(tmpfs, 'keep.txt'), 'utf8'), 'tmpfs');
  assert.equal(readFileSync(join(tmpfs, 'sub', 'keep.txt'), 'utf8'), 'tmpfs');
}

const nodes: [string, string][] = [
  ['Node 20 (this node)', process.execPath],
  ['Node 24', NODE24],
];

for (const [name, node] of nodes) {
  test(`${name}: a watcher's deletion leaves a tmpfs and a bind mount inside the data dir, and reports them`, async (t) => {
    if (node === NODE24 && !requireNode24(t)) return;
    if (!requireOrSkip(t, canMount(), 'mounting (root on Linux)')) return;
    const scratch = mountScratch(t);
    const { spec, path, trace } = writeSpec(t, {});
    t.after(() => rmSync(spec.stateDir, { recursive: true, force: true }));
    const { dataDir, tmpfs, bind } = buildDataDir(scratch, spec.id);
    writeFileSync(path, JSON.stringify({ ...spec, dataDir, dataDirReal: dataDir }));
    const runner = spawn(node, [...RUNNER_ARGV, path], { stdio: 'ignore' });
    t.after(() => killIfRunning(runner.pid));
    await waitFor('the server to be ready', () => readTrace(trace).includes('READY'));
    process.kill(runner.pid as number, 'SIGTERM');
    await waitGone(runner.pid as number);
    assertMountsKept(scratch, tmpfs);
    const status = readStatusFile(join(spec.stateDir, 'status.json'));
    assert.notEqual(status?.dataDir.state, 'deleted');
    assert.match(status?.dataDir.reason ?? '', /left 2 mount points/);
    assert.ok(status?.dataDir.reason?.includes(tmpfs), status?.dataDir.reason);
    assert.ok(status?.dataDir.reason?.includes(bind), status?.dataDir.reason);
    assert.match(status?.error ?? '', /data dir not deleted/);
    // Everything else went; the marker stays, so the dir is still provably ours.
    assert.equal(existsSync(join(dataDir, 'junk')), false);
    assert.deepEqual(readdirSync(dataDir).sort(), ['.quickdb-watcher', 'nested', 'tm']);
  });
}

test('deleteOwnedDir itself: mounts left and listed in the verdict; a second call still leaves them', (t) => {
  if (!requireOrSkip(t, canMount(), 'mounting (root on Linux)')) return;
  const scratch = mountScratch(t);
  const { dataDir, tmpfs, bind } = buildDataDir(scratch, 'mounts-1');
  const owned = { id: 'mounts-1', dir: dataDir, realPath: dataDir, stateRoot: stateRoot() };
  for (let i = 0; i < 2; i++) {
    const verdict = deleteOwnedDir(owned);
    assert.equal(verdict.ok, false);
    assert.match(verdict.ok ? '' : verdict.reason, /left 2 mount points: .*/);
    assert.deepEqual(verdict.ok ? [] : [...(verdict.left ?? [])].sort(), [bind, tmpfs].sort());
    assertMountsKept(scratch, tmpfs);
  }
});
