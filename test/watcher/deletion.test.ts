// Deletion safety: only a marker-owned dir at its recorded realpath is deleted; everything else is refused and reported.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { readStatusFile } from '../../dist/state/records/status.js';
import { CLI, scratchDir, stateRoot } from '../helpers/env.js';
import { startFixture } from '../helpers/instance.js';
import { waitGone } from '../helpers/proc.js';

const run = promisify(execFile);

async function up(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [CLI, 'up', 'command', ...args, '--', 'sleep', '1000']);
    return { code: 0, stderr: '' };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

const refusals: [string, () => string, RegExp][] = [
  ['/', () => '/', /--data-dir: "\/" is not valid: must not be \/, \$HOME or the state root/],
  ['$HOME', () => homedir(), /must not be \/, \$HOME or the state root/],
  ['the state root', () => stateRoot(), /must not be \/, \$HOME or the state root/],
];

for (const [name, path, message] of refusals) {
  test(`up --data-dir ${name} is refused with exit 2`, async () => {
    mkdirSync(stateRoot(), { recursive: true });
    const { code, stderr } = await up(['--data-dir', path()]);
    assert.equal(code, 2, stderr);
    assert.match(stderr, message);
  });
}

test('a symlink to the state root, a non-empty dir without marker, a foreign marker: each refused, content kept', async (t) => {
  const dir = scratchDir(t);
  symlinkSync(stateRoot(), join(dir, 'link'));
  mkdirSync(join(dir, 'full'));
  writeFileSync(join(dir, 'full', 'precious.txt'), 'keep me');
  mkdirSync(join(dir, 'foreign'));
  writeFileSync(join(dir, 'foreign', '.quickdb-watcher'), 'someone-else\n');
  writeFileSync(join(dir, 'foreign', 'precious.txt'), 'keep me');
  const cases: [string, RegExp][] = [
    ['link', /is a symlink; give the real directory/],
    ['full', /is not empty and has no \.quickdb-watcher marker/],
    ['foreign', /belongs to instance "someone-else"/],
  ];
  for (const [sub, message] of cases) {
    const { code, stderr } = await up(['--data-dir', join(dir, sub)]);
    assert.equal(code, 2, `${sub}: ${stderr}`);
    assert.match(stderr, new RegExp(`--data-dir: "${join(dir, sub).replace(/[/.]/g, '\\$&')}"`));
    assert.match(stderr, message);
  }
  assert.equal(readFileSync(join(dir, 'full', 'precious.txt'), 'utf8'), 'keep me');
  assert.equal(readFileSync(join(dir, 'foreign', 'precious.txt'), 'utf8'), 'keep me');
  assert.equal(readFileSync(join(dir, 'foreign', '.quickdb-watcher'), 'utf8'), 'someone-else\n');
});

test('an empty existing dir is adopted (marker written) and deleted at stop', async (t) => {
  const dir = join(scratchDir(t), 'empty');
  mkdirSync(dir);
  const { instance } = await startFixture(t, { options: { dataDir: dir } });
  assert.equal(readFileSync(join(dir, '.quickdb-watcher'), 'utf8').trim(), instance.id);
  await instance.stop();
  assert.equal(existsSync(dir), false);
});

async function stopAndRead(
  t: Parameters<typeof startFixture>[0],
  tamper: (dataDir: string, scratch: string) => void,
) {
  const scratch = scratchDir(t);
  const { instance, info } = await startFixture(t, { options: { dataDir: join(scratch, 'data') } });
  tamper(info.dataDir, scratch);
  process.kill(info.watcherPid, 'SIGTERM');
  await waitGone(info.watcherPid);
  t.after(() => rmSync(info.stateDir, { recursive: true, force: true }));
  void instance;
  return { info, scratch, status: readStatusFile(join(info.stateDir, 'status.json')) };
}

test('marker removed while running: the data dir is not deleted, and the refusal is reported', async (t) => {
  const { info, status } = await stopAndRead(t, (dataDir) => rmSync(join(dataDir, '.quickdb-watcher')));
  assert.ok(existsSync(info.dataDir));
  assert.equal(status?.phase, 'failed');
  assert.equal(status?.dataDir.state, 'refused');
  assert.match(status?.dataDir.reason ?? '', /has no \.quickdb-watcher marker; not ours/);
  assert.match(status?.error ?? '', /data dir not deleted/);
});

test('data dir swapped for a symlink to a victim (with a forged marker): nothing of the victim is deleted', async (t) => {
  const { info, scratch, status } = await stopAndRead(t, (dataDir, s) => {
    const victim = join(s, 'victim');
    mkdirSync(victim);
    writeFileSync(join(victim, 'precious.txt'), 'keep me');
    writeFileSync(
      join(victim, '.quickdb-watcher'),
      `${readFileSync(join(dataDir, '.quickdb-watcher'), 'utf8')}`,
    );
    renameSync(dataDir, join(s, 'moved'));
    symlinkSync(victim, dataDir);
  });
  assert.equal(readFileSync(join(scratch, 'victim', 'precious.txt'), 'utf8'), 'keep me');
  assert.equal(status?.dataDir.state, 'refused');
  assert.match(status?.dataDir.reason ?? '', /is now a symlink; not following it/);
  assert.ok(existsSync(info.dataDir));
});

test('a parent dir repointed to a victim (realpath differs, forged marker): refused, victim kept', async (t) => {
  const scratch = scratchDir(t);
  mkdirSync(join(scratch, 'a'));
  symlinkSync(join(scratch, 'a'), join(scratch, 'link'));
  const { info } = await startFixture(t, { options: { dataDir: join(scratch, 'link', 'data') } });
  const marker = readFileSync(join(info.dataDir, '.quickdb-watcher'));
  mkdirSync(join(scratch, 'victim', 'data'), { recursive: true });
  writeFileSync(join(scratch, 'victim', 'data', '.quickdb-watcher'), marker);
  writeFileSync(join(scratch, 'victim', 'data', 'precious.txt'), 'keep me');
  rmSync(join(scratch, 'link'));
  symlinkSync(join(scratch, 'victim'), join(scratch, 'link'));
  process.kill(info.watcherPid, 'SIGTERM');
  await waitGone(info.watcherPid);
  const status = readStatusFile(join(info.stateDir, 'status.json'));
  t.after(() => rmSync(info.stateDir, { recursive: true, force: true }));
  assert.equal(status?.dataDir.state, 'refused');
  assert.match(status?.dataDir.reason ?? '', /now resolves to .*victim\/data, not the recorded .*\/a\/data/);
  assert.equal(readFileSync(join(scratch, 'victim', 'data', 'precious.txt'), 'utf8'), 'keep me');
});
