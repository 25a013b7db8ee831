// Launch records and gc: a generated (prepared) instance is kept until `stop` removes it, a launch is abandoned when
// its launcher dies (not after a clock), and the loser of two concurrent stops reports the stop as done.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { collectGarbage } from '../../dist/manage/gc.js';
import { readProcStat } from '../../dist/state/process/procstat.js';
import { runCli } from '../helpers/cli.js';
import { CLI, FIXTURES, stateRoot } from '../helpers/env.js';
import { fixtureOptions, registerCleanup } from '../helpers/instance.js';
import { waitFor } from '../helpers/poll.js';
import { killIfRunning, waitGone } from '../helpers/proc.js';
import { writeSpec } from '../helpers/spec.js';

const SERVER = ['--ready-log', '^READY$', '--', process.execPath, join(FIXTURES, 'server.mjs'), 'polite'];

// A `sleep` standing in for a slow launcher; returns it with its start time.
function spawnSlowLauncher(t: TestContext) {
  const sleeper = spawn('sleep', ['1000'], { stdio: 'ignore' });
  t.after(() => killIfRunning(sleeper.pid));
  const pid = sleeper.pid as number;
  return { sleeper, pid, startTime: readProcStat(pid)?.startTime as string };
}

// Make a dir look older than any grace.
function age(dir: string): void {
  const old = new Date(Date.now() - 3_600_000);
  utimesSync(dir, old, old);
}

test('generate prepares an instance that gc leaves alone, list shows, and stop removes', async (t) => {
  const id = `gen-kept-${process.pid}`;
  const dir = join(stateRoot(), id);
  registerCleanup(t, () => ({ stateDir: dir }));
  const gen = await runCli(['generate', 'systemd', 'command', '--id', id, ...SERVER]);
  assert.equal(gen.code, 0, gen.stderr);
  age(dir);
  await collectGarbage(stateRoot(), { launchGraceMs: 0, quick: true });
  await collectGarbage(stateRoot(), { launchGraceMs: 0 });
  const gc = await runCli(['gc']);
  assert.equal(gc.code, 0, gc.stderr);
  assert.ok(existsSync(join(dir, 'spec.json')), 'the prepared instance survives gc');
  assert.ok(existsSync(join(dir, 'data', '.quickdb-watcher')), 'its data dir survives gc');
  const list = JSON.parse((await runCli(['list', '--json'])).stdout) as { id: string; phase: string }[];
  assert.equal(list.find((v) => v.id === id)?.phase, 'prepared');
  const stop = await runCli(['stop', id]);
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stdout, /removed/);
  assert.equal(existsSync(dir), false, 'stop removed the prepared instance and its data dir');
});

test('a launch whose launcher is alive is not collected however old; once the launcher dies it is, at once', async (t) => {
  const slow = spawnSlowLauncher(t);
  // A claimed dir (no spec yet), and a dir with a spec naming the launcher (no status yet).
  const claimed = join(stateRoot(), `claimed-${process.pid}`);
  mkdirSync(join(claimed, 'data'), { recursive: true, mode: 0o700 });
  t.after(() => rmSync(claimed, { recursive: true, force: true }));
  writeFileSync(join(claimed, 'launch.json'), JSON.stringify({ pid: slow.pid, startTime: slow.startTime }));
  const { spec, path } = writeSpec(t);
  t.after(() => rmSync(spec.stateDir, { recursive: true, force: true }));
  writeFileSync(path, JSON.stringify({ ...spec, launcher: { pid: slow.pid, startTime: slow.startTime } }));
  age(claimed);
  age(spec.stateDir);
  const ids = [`claimed-${process.pid}`, spec.id];

  const before = await collectGarbage(stateRoot(), { launchGraceMs: 0 });
  for (const id of ids)
    assert.equal(before.find((a) => a.id === id)?.detail, 'launching (its launcher is still running)', id);
  await collectGarbage(stateRoot(), { launchGraceMs: 0, quick: true });
  assert.ok(existsSync(join(claimed, 'data')), 'the claimed launch survives');
  assert.ok(existsSync(join(spec.dataDir, '.quickdb-watcher')), 'the specced launch survives');

  slow.sleeper.kill('SIGKILL');
  await waitGone(slow.pid);
  const after = await collectGarbage(stateRoot(), { quick: true });
  assert.ok(
    ids.every((id) => after.some((a) => a.id === id)),
    JSON.stringify(after),
  );
  assert.equal(existsSync(claimed), false, 'the abandoned claim is collected at once');
  assert.equal(existsSync(spec.stateDir), false, 'the abandoned spec is collected at once');
});

test('a finished record being taken over (its old spec names a dead launcher, the claim a live one) is not collected', async (t) => {
  // The view a concurrent gc can read mid-takeover: the old record's spec (its launcher long gone) and no status,
  // while the new launch's claim names a running launcher. It was taken for an abandoned launch and "recovered",
  // killing the new launch (a flake of the 20-parallel takeover race under load).
  const slow = spawnSlowLauncher(t);
  const dead = spawnSync('true').pid as number;
  const { spec, path } = writeSpec(t);
  t.after(() => rmSync(spec.stateDir, { recursive: true, force: true }));
  writeFileSync(path, JSON.stringify({ ...spec, launcher: { pid: dead, startTime: '1' } }));
  writeFileSync(
    join(spec.stateDir, 'launch.json'),
    JSON.stringify({ pid: slow.pid, startTime: slow.startTime }),
  );
  age(spec.stateDir);
  const actions = await collectGarbage(stateRoot(), { launchGraceMs: 0 });
  assert.equal(actions.find((a) => a.id === spec.id)?.detail, 'launching (its launcher is still running)');
  await collectGarbage(stateRoot(), { launchGraceMs: 0, quick: true });
  assert.ok(existsSync(join(spec.dataDir, '.quickdb-watcher')), 'the launch taking it over survives');
  assert.ok(existsSync(join(spec.stateDir, 'launch.json')), 'its claim too');
});

test('a launch with a claim whose launcher is gone is collected within the grace; without any claim the grace holds', async (t) => {
  const dead = spawnSync('true').pid as number;
  const gone = join(stateRoot(), `claim-gone-${process.pid}`);
  const bare = join(stateRoot(), `claim-none-${process.pid}`);
  for (const dir of [gone, bare]) {
    mkdirSync(join(dir, 'data'), { recursive: true, mode: 0o700 });
    t.after(() => rmSync(dir, { recursive: true, force: true }));
  }
  writeFileSync(join(gone, 'launch.json'), JSON.stringify({ pid: dead, startTime: '1' }));
  await collectGarbage(stateRoot(), { quick: true, launchGraceMs: 3_600_000 });
  assert.equal(existsSync(gone), false, 'a dead launcher: abandoned now');
  assert.ok(existsSync(bare), 'no claim: the age grace still applies');
});

test('the loser of two concurrent stops (the instance gone under it) reports the stop as done, exit 0', async (t) => {
  const id = `stop-race-${process.pid}`;
  const { options } = fixtureOptions(t);
  const up = spawnSync(
    process.execPath,
    [
      CLI,
      'up',
      'command',
      '--id',
      id,
      '--parent',
      'none',
      '--ready-log',
      '^READY$',
      '--',
      ...(options.args ?? []),
    ],
    { encoding: 'utf8', env: process.env },
  );
  const dir = join(stateRoot(), id);
  t.after(async () => {
    if (existsSync(dir)) await runCli(['kill', id]);
  });
  assert.equal(up.status, 0, up.stderr);
  // The winner: a real `stop`, frozen (SIGSTOP) once its signal is in, so the race is held open while its
  // watcher finishes and removes the instance; then the loser runs, then the winner resumes.
  const winner = spawn(process.execPath, [CLI, 'stop', id], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => killIfRunning(winner.pid, 'SIGCONT'));
  let winnerOut = '';
  winner.stdout.on('data', (d) => {
    winnerOut += d;
  });
  const winnerCode = new Promise<number | null>((resolve) => winner.on('exit', (code) => resolve(code)));
  await waitFor('the winner to signal', () => {
    const phase = /"phase":\s*"([^"]+)"/.exec(readIfThere(join(dir, 'status.json')))?.[1];
    return !existsSync(dir) || (phase !== undefined && phase !== 'ready');
  });
  process.kill(winner.pid as number, 'SIGSTOP');
  await waitFor('the instance to be gone', () => !existsSync(dir), 30_000);
  const loser = await runCli(['stop', id]);
  process.kill(winner.pid as number, 'SIGCONT');
  assert.equal(loser.code, 0, `${loser.stdout}${loser.stderr}`);
  assert.match(loser.stdout, /already stopped/);
  assert.equal(await winnerCode, 0);
  assert.match(winnerOut, /stopped/);
  // The note stays (ten minutes), so a stop that comes even later still says "already stopped".
  assert.equal(existsSync(join(stateRoot(), `.stopped-${id}`)), true, 'the note is kept after the stop');
});

// A file's text, or '' when it cannot be read.
function readIfThere(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
