// Where data lives: RAM (tmpfs) by default when it has room, disk when forced or short of room; said in up and status.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  statfsSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { resolveRamRoot } from '../../dist/launch/placement.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, requireOrSkip, scratchDir, testBase } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { killIfRunning } from '../helpers/proc.js';

const TMPFS_MAGIC = 0x01021994;
const SERVER = [process.execPath, join(FIXTURES, 'server.mjs'), 'polite'];
const isRoot = process.getuid?.() === 0;

interface Place {
  env: NodeJS.ProcessEnv;
  stateRoot: string;
  ramFs: string;
}

// A private state root and a private RAM filesystem dir (inside the run's, or /dev/shm). After the test, whatever
// happened: every instance still in the state root is stopped, then both dirs go (one hook: hooks run in order).
function makePlace(t: TestContext, ramFs?: string): Place {
  const base = mkdtempSync(join(testBase(), 'place-'));
  const stateRoot = join(base, 'state');
  const fs = ramFs ?? mkdtempSync(join(process.env.QUICKDB_WATCHER_RAM_DIR ?? '/dev/shm', 'place-'));
  if (isRoot) chmodSync(fs, 0o711);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    QUICKDB_WATCHER_STATE: stateRoot,
    QUICKDB_WATCHER_RAM_DIR: fs,
  };
  delete env.QUICKDB_WATCHER_DATA_ON;
  t.after(async () => {
    for (const id of existsSync(stateRoot) ? readdirSync(stateRoot) : []) await runCli(['stop', id], env);
    await runCli(['gc'], env);
    if (ramFs === undefined) rmSync(fs, { recursive: true, force: true });
    rmSync(base, { recursive: true, force: true });
  });
  return { env, stateRoot, ramFs: fs };
}

// A small tmpfs mounted for the test, unmounted (then removed) after it.
function mountSmallTmpfs(t: TestContext): string {
  const mnt = mkdtempSync(join(testBase(), 'small-shm-'));
  assert.equal(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mnt]).status, 0);
  t.after(() => {
    spawnSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
  });
  return mnt;
}

// `up command` with the fixture server (makePlace's hook stops it after the test).
function up(place: Place, id: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const args = ['up', 'command', '--id', id, '--parent', 'none', '--ready-log', '^READY$', ...extra];
  return runCli([...args, '--', ...SERVER], { ...place.env, ...env });
}

const dataDirOf = (out: string): string => (/data dir\s+(\S+)/.exec(out) ?? [])[1] ?? '';

test('by default the data dir goes to the RAM filesystem, up and status say so, and stop deletes it', async (t) => {
  const place = makePlace(t);
  const r = await up(place, 'ram-default');
  assert.equal(r.code, 0, r.stderr);
  const dir = dataDirOf(r.stdout);
  assert.equal(dir, join(resolveRamRoot(place.stateRoot, place.env) as string, 'ram-default'));
  assert.equal(statfsSync(dir).type, TMPFS_MAGIC);
  assert.match(r.stdout, /\(RAM: .* is RAM-backed and has room\)/);
  const status = await runCli(['status', 'ram-default'], place.env);
  assert.match(status.stdout, /data on\s+RAM: /);
  const stop = await runCli(['stop', 'ram-default'], place.env);
  assert.equal(stop.code, 0, stop.stderr);
  assert.equal(existsSync(dir), false, 'the RAM data dir is deleted like a disk one');
});

test('--data-on disk and QUICKDB_WATCHER_DATA_ON=disk keep the data dir in the state dir, and say why', async (t) => {
  const place = makePlace(t);
  const byOption = await up(place, 'disk-option', ['--data-on', 'disk']);
  assert.equal(byOption.code, 0, byOption.stderr);
  assert.equal(dataDirOf(byOption.stdout), join(place.stateRoot, 'disk-option', 'data'));
  assert.match(byOption.stdout, /\(disk: --data-on=disk\)/);
  const byEnv = await up(place, 'disk-env', [], { QUICKDB_WATCHER_DATA_ON: 'disk' });
  assert.equal(byEnv.code, 0, byEnv.stderr);
  assert.match(byEnv.stdout, /\(disk: QUICKDB_WATCHER_DATA_ON=disk\)/);
  const status = await runCli(['status', 'disk-env', '--json'], place.env);
  assert.deepEqual(JSON.parse(status.stdout).dataOn, { on: 'disk', why: 'QUICKDB_WATCHER_DATA_ON=disk' });
});

test('bad placement input is exit 2 naming the option and value; nothing is created', async (t) => {
  const place = makePlace(t);
  const bad = await up(place, 'bad-1', ['--data-on', 'memory']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--data-on: "memory" is not valid: expected one of: auto, ram, disk/);
  const badEnv = await up(place, 'bad-2', [], { QUICKDB_WATCHER_DATA_ON: 'fast' });
  assert.equal(badEnv.code, 2);
  assert.match(badEnv.stderr, /QUICKDB_WATCHER_DATA_ON: "fast" is not valid/);
  const both = await up(place, 'bad-3', ['--data-on', 'ram', '--data-dir', join(place.stateRoot, '..', 'd')]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--data-on: "ram" is not valid: cannot be combined with --data-dir/);
  assert.equal(existsSync(join(place.stateRoot, '..', 'd')), false);
});

test('a RAM dir on disk: auto keeps data on disk and says why; --data-on ram is refused (exit 2)', async (t) => {
  const place = makePlace(t, scratchDir(t, 'not-ram-'));
  const auto = await up(place, 'not-ram');
  assert.equal(auto.code, 0, auto.stderr);
  assert.equal(dataDirOf(auto.stdout), join(place.stateRoot, 'not-ram', 'data'));
  assert.match(auto.stdout, /disk: .* is not a RAM-backed filesystem \(tmpfs or ramfs\)/);
  const forced = await up(place, 'not-ram-2', ['--data-on', 'ram']);
  assert.equal(forced.code, 2);
  assert.match(
    forced.stderr,
    /--data-on: "ram" is not valid: .* is not a RAM-backed filesystem .*; use disk or auto/,
  );
});

test('a RAM filesystem with too little room (a 64 MB /dev/shm, as in containers) keeps data on disk', async (t) => {
  if (!requireOrSkip(t, isRoot, 'root (to mount a small tmpfs)')) return;
  const mnt = mountSmallTmpfs(t);
  assert.equal(statfsSync(mnt).type, TMPFS_MAGIC);
  const place = makePlace(t, mnt);
  const r = await up(place, 'small-ram');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /disk: .* has 6\d MiB free \(space or memory\), under the 512 MiB kept in reserve/);
});

test('a RAM root another user planted (a dir or a symlink) is never used, and nothing in it is touched', async (t) => {
  if (!requireOrSkip(t, isRoot, 'root (to plant a dir owned by another user)')) return;
  const place = makePlace(t);
  const root = resolveRamRoot(place.stateRoot, place.env) as string;
  mkdirSync(join(root, 'theirs'), { recursive: true });
  chownSync(root, 65534, 65534);
  const planted = await up(place, 'planted');
  assert.equal(planted.code, 0, planted.stderr);
  assert.match(planted.stdout, /disk: .* is owned by uid 65534, not you/);
  const forced = await up(place, 'planted-2', ['--data-on', 'ram']);
  assert.equal(forced.code, 2);
  assert.deepEqual(readdirSync(root), ['theirs']);
  rmSync(root, { recursive: true });
  const target = scratchDir(t, 'link-target-');
  symlinkSync(target, root);
  const linked = await up(place, 'linked');
  assert.equal(linked.code, 0, linked.stderr);
  assert.match(linked.stdout, /disk: .* is a symbolic link \(a dir we trust/);
  assert.deepEqual(readdirSync(target), []);
});

test('parent SIGKILL: the RAM data dir is deleted; SIGINT keeps it and the same id reuses it', async (t) => {
  const place = makePlace(t);
  const parent = spawn('sleep', ['1000'], { stdio: 'ignore' });
  t.after(() => killIfRunning(parent.pid));
  const args = [
    'up',
    'command',
    '--id',
    'ram-parent',
    '--parent',
    String(parent.pid),
    '--ready-log',
    '^READY$',
  ];
  const r = await runCli([...args, '--', ...SERVER], place.env);
  assert.equal(r.code, 0, r.stderr);
  const dir = dataDirOf(r.stdout);
  assert.ok(dir.startsWith(place.ramFs), dir);
  parent.kill('SIGKILL');
  await waitFor('the RAM data dir to go', () => !existsSync(dir), 30_000);

  const kept = await up(place, 'ram-kept');
  const keptDir = dataDirOf(kept.stdout);
  const stop = await runCli(['stop', 'ram-kept', '--keep'], place.env);
  assert.equal(stop.code, 0, stop.stderr);
  assert.ok(existsSync(keptDir), 'kept after SIGINT');
  const again = await up(place, 'ram-kept');
  assert.equal(again.code, 0, again.stderr);
  assert.equal(dataDirOf(again.stdout), keptDir);
  assert.match(again.stdout, /RAM: kept from an earlier run of ram-kept/);
  assert.equal((await runCli(['stop', 'ram-kept'], place.env)).code, 0);
  assert.equal(existsSync(keptDir), false);
});

test("gc deletes a stray RAM data dir whose instance record is gone, and only this state root's", async (t) => {
  const place = makePlace(t);
  const r = await up(place, 'ram-stray');
  const dir = dataDirOf(r.stdout);
  const other = makePlace(t, place.ramFs);
  const o = await up(other, 'other-root');
  const otherDir = dataDirOf(o.stdout);
  assert.notEqual(resolveRamRoot(place.stateRoot, place.env), resolveRamRoot(other.stateRoot, other.env));
  assert.equal((await runCli(['stop', 'ram-stray', '--keep'], place.env)).code, 0);
  rmSync(join(place.stateRoot, 'ram-stray'), { recursive: true });
  const gc = await runCli(['gc'], place.env);
  assert.equal(gc.code, 0, gc.stderr);
  assert.match(gc.stdout, /ram-stray: removed-record: deleted the stray RAM data dir/);
  assert.equal(existsSync(dir), false);
  assert.ok(existsSync(otherDir), "another state root's RAM data dir is left alone");
});

test('gc removes the spares of a RAM root whose state root is gone; a live root is left to its own rules', async (t) => {
  const gone = makePlace(t);
  const live = makePlace(t, gone.ramFs);
  for (const place of [gone, live]) {
    const r = await up(place, 'orphan-1');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await runCli(['stop', 'orphan-1'], place.env)).code, 0);
  }
  const goneRoot = resolveRamRoot(gone.stateRoot, gone.env) as string;
  const liveRoot = resolveRamRoot(live.stateRoot, live.env) as string;
  assert.equal(existsSync(goneRoot), false, 'the last stop of a state root gives its RAM root back');
  // What an older version left: a complete spare in the orphaned root; a refill under way (fresh) in the live one,
  // which its own gc keeps.
  mkdirSync(join(goneRoot, '.spares', 'postgresql-x~1', 'base'), { recursive: true });
  writeFileSync(join(goneRoot, '.state-root'), `${realpathSync(gone.stateRoot)}\n`);
  mkdirSync(join(liveRoot, '.spares'), { recursive: true });
  writeFileSync(join(liveRoot, '.spares', '.postgresql-x~1.filling'), '');
  rmSync(gone.stateRoot, { recursive: true });
  const gc = await runCli(['gc'], live.env);
  assert.equal(gc.code, 0, gc.stderr);
  assert.match(gc.stdout, /spares of .*, whose state root is gone/);
  assert.equal(existsSync(goneRoot), false, 'the orphaned RAM root is gone with its spares');
  assert.ok(existsSync(join(liveRoot, '.spares', '.postgresql-x~1.filling')), 'the live root is untouched');
});
