// gc after a launcher killed mid-launch (no spec yet): its empty data dir goes even before the marker was written,
// while a data dir holding anything without our marker is never deleted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectGarbage } from '../../dist/manage/gc.js';
import { readStartTime } from '../../dist/state/process/procstat.js';
import { stateRoot } from '../helpers/env.js';

test('gc of an abandoned launch: an empty unmarked data dir goes, an unmarked one with content stays', async (t) => {
  const empty = join(stateRoot(), 'gc-abandoned-empty');
  const full = join(stateRoot(), 'gc-abandoned-full');
  t.after(() => {
    rmSync(empty, { recursive: true, force: true });
    rmSync(full, { recursive: true, force: true });
  });
  mkdirSync(join(empty, 'data'), { recursive: true, mode: 0o700 });
  mkdirSync(join(full, 'data'), { recursive: true, mode: 0o700 });
  writeFileSync(join(full, 'data', 'precious.txt'), 'keep me');
  const actions = await collectGarbage(stateRoot(), { launchGraceMs: 0 });
  const about = (id: string) => actions.find((a) => a.id === id);
  assert.equal(about('gc-abandoned-empty')?.detail, 'an abandoned launch without a spec');
  assert.equal(existsSync(empty), false, 'the abandoned launch left nothing');
  assert.equal(about('gc-abandoned-full')?.detail, 'an abandoned launch without a spec');
  assert.equal(
    readFileSync(join(full, 'data', 'precious.txt'), 'utf8'),
    'keep me',
    'unmarked content survives',
  );
});

test('gc of an abandoned launch killed while writing the marker: an empty marker alone goes, with content it stays', async (t) => {
  // The launcher creates the marker exclusively, then writes the id: a SIGKILL between the two leaves it empty.
  const cut = join(stateRoot(), 'gc-abandoned-cut-marker');
  const mixed = join(stateRoot(), 'gc-abandoned-empty-marker-content');
  t.after(() => {
    rmSync(cut, { recursive: true, force: true });
    rmSync(mixed, { recursive: true, force: true });
  });
  for (const dir of [cut, mixed]) {
    mkdirSync(join(dir, 'data'), { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, 'data', '.quickdb-watcher'), '', { mode: 0o600 });
  }
  writeFileSync(join(mixed, 'data', 'precious.txt'), 'keep me');
  await collectGarbage(stateRoot(), { launchGraceMs: 0 });
  assert.equal(existsSync(cut), false, 'the cut-short launch left nothing');
  assert.equal(readFileSync(join(mixed, 'data', 'precious.txt'), 'utf8'), 'keep me', 'content survives');
});

test("gc removes a `.claim-*` staging dir whose launcher died mid-claim, and keeps a live launcher's", async (t) => {
  const dead = join(stateRoot(), '.claim-gc-staged-dead-0a1b2c');
  const live = join(stateRoot(), '.claim-gc-staged-live-3d4e5f');
  t.after(() => {
    rmSync(dead, { recursive: true, force: true });
    rmSync(live, { recursive: true, force: true });
  });
  const gone = spawnSync('true').pid;
  for (const [dir, pid, startTime] of [
    [dead, gone, '1'],
    [live, process.pid, readStartTime(process.pid)],
  ] as const) {
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'launch.json'), `${JSON.stringify({ pid, startTime })}\n`);
  }
  // A staging dir without a readable claim yet (a launcher between mkdir and writing it, or killed there).
  const blank = join(stateRoot(), '.claim-gc-staged-blank-6a7b8c');
  mkdirSync(blank, { mode: 0o700 });
  t.after(() => rmSync(blank, { recursive: true, force: true }));
  await collectGarbage(stateRoot(), { quick: true });
  assert.equal(existsSync(dead), false, 'the quick gc of the next `up` removes it');
  assert.equal(existsSync(live), true, 'a launch in progress is left alone');
  assert.equal(existsSync(blank), true, 'one without a claim yet is given the launch grace');
  await collectGarbage(stateRoot(), { quick: true, launchGraceMs: 0 });
  assert.equal(existsSync(blank), false, 'and removed after it');
  assert.equal(existsSync(live), true);
});
