// Claiming an id is atomic: of 20 parallel `up --id same`, one wins; the others exit 1 "id in use", nothing orphaned.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type CliResult, runCli, upCommand } from '../helpers/cli.js';
import { stateRoot } from '../helpers/env.js';
import { registerCleanup } from '../helpers/instance.js';
import { findProcesses, killIfRunning, waitGone } from '../helpers/proc.js';

const PARALLEL = 20;

function up(id: string, ...extra: string[]): Promise<CliResult> {
  return upCommand(id, ['--backend', 'detached', ...extra]);
}

// Watchers of an instance: processes titled db-quick-watcher whose cwd is (or was, if since deleted) its state dir.
function watchersOf(id: string): number[] {
  const dir = join(stateRoot(), id);
  return findProcesses('db-quick-watcher').filter((pid) => {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      return cwd === dir || cwd === `${dir} (deleted)`;
    } catch {
      return false;
    }
  });
}

// Server processes tagged with the instance's state dir (the runner's environment tag).
function serversOf(id: string): number[] {
  const tag = `QUICKDB_WATCHER_INSTANCE=${join(stateRoot(), id)}`;
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(tag);
      } catch {
        return false;
      }
    });
}

// The state root's entries for an id: its dir, and any staging or replaced dirs a claim left behind.
function entriesFor(id: string): string[] {
  return readdirSync(stateRoot()).filter((name) => name === id || name.includes(`-${id}-`));
}

async function race(t: import('node:test').TestContext, id: string): Promise<CliResult> {
  const results = await Promise.all(Array.from({ length: PARALLEL }, () => up(id)));
  const winners = results.filter((r) => r.code === 0);
  for (const w of winners) {
    const info = JSON.parse(w.stdout);
    registerCleanup(t, () => info);
  }
  t.after(() => {
    // Even when the claim is broken: every watcher in the dir and every server tagged with it.
    for (const pid of [...watchersOf(id), ...serversOf(id)]) killIfRunning(pid);
  });
  const losers = results.filter((r) => r.code !== 0);
  assert.equal(winners.length, 1, `exactly one wins: ${results.map((r) => r.code).join(',')}`);
  for (const l of losers) {
    assert.equal(l.code, 1, l.stderr);
    assert.match(l.stderr, new RegExp(`id in use: ${id}`));
    assert.doesNotMatch(l.stderr, /\n\s+at /, 'no stack trace');
  }
  const winner = winners[0] as CliResult;
  const info = JSON.parse(winner.stdout);
  assert.deepEqual(watchersOf(id), [info.watcherPid], 'one watcher, the winner’s');
  const list = JSON.parse((await runCli(['list', '--json'])).stdout) as { id: string; phase: string }[];
  assert.deepEqual(
    list.filter((v) => v.id.includes(id)).map((v) => [v.id, v.phase]),
    [[id, 'ready']],
  );
  assert.deepEqual(entriesFor(id), [id], 'no staging or replaced dirs left');
  return winner;
}

test(`${PARALLEL} parallel up --id same: one watcher, ${PARALLEL - 1} exit 1 "id in use"`, async (t) => {
  const winner = await race(t, 'claim-1');
  const info = JSON.parse(winner.stdout);
  assert.equal((await runCli(['stop', 'claim-1'])).code, 0);
  await waitGone(info.watcherPid);
  assert.equal(existsSync(info.dataDir), false);
  assert.deepEqual(entriesFor('claim-1'), []);
});

test(`a finished record (data kept) is replaced by exactly one of ${PARALLEL} parallel up, keeping its data dir`, async (t) => {
  const first = await up('claim-2');
  assert.equal(first.code, 0, first.stderr);
  const before = JSON.parse(first.stdout);
  registerCleanup(t, () => before);
  assert.equal((await runCli(['stop', 'claim-2', '--keep'])).code, 0);
  await waitGone(before.watcherPid);
  assert.equal(existsSync(before.dataDir), true, 'kept');
  writeFileSync(join(before.dataDir, 'keep-me'), 'the data of the first run');
  const winner = await race(t, 'claim-2');
  const info = JSON.parse(winner.stdout);
  assert.equal(info.dataDir, before.dataDir);
  assert.equal(readFileSync(join(info.dataDir, 'keep-me'), 'utf8'), 'the data of the first run');
  assert.equal((await runCli(['stop', 'claim-2'])).code, 0);
  await waitGone(info.watcherPid);
  assert.equal(existsSync(info.dataDir), false);
});

test('an instance dir without status.json is a launch in progress: "id in use", exit 1, and it is left alone', async (t) => {
  const dir = join(stateRoot(), 'claim-3');
  mkdirSync(join(dir, 'data'), { recursive: true, mode: 0o700 });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = await up('claim-3');
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /id in use: claim-3/);
  assert.equal(existsSync(join(dir, 'data')), true, 'the other launch’s dir is untouched');
});

test('a finished record being taken over (its takeover lock held) is "id in use" to every other up; gc clears a stale lock', async (t) => {
  const first = await up('claim-4');
  assert.equal(first.code, 0, first.stderr);
  const before = JSON.parse(first.stdout);
  registerCleanup(t, () => before);
  assert.equal((await runCli(['stop', 'claim-4', '--keep'])).code, 0);
  await waitGone(before.watcherPid);
  const lock = join(stateRoot(), 'claim-4', '.takeover.lock');
  // Held by a launcher that died mid-takeover (a process that has exited).
  const gone = spawnSync('true').pid;
  writeFileSync(lock, `${JSON.stringify({ pid: gone, startTime: null })}\n`, { flag: 'wx' });
  const r = await up('claim-4');
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /id in use: claim-4: another launch is taking over its finished record/);
  assert.equal(existsSync(join(stateRoot(), 'claim-4', 'spec.json')), true, 'the record is untouched');
  assert.equal((await runCli(['gc'])).code, 0);
  const after = await up('claim-4');
  assert.equal(after.code, 0, after.stderr);
  const info = JSON.parse(after.stdout);
  registerCleanup(t, () => info);
  assert.equal((await runCli(['stop', 'claim-4'])).code, 0);
});
