// `list`, `status` and `gc`: what a user sees, and gc recovering an instance whose detached watcher was SIGKILLed.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, upCommand } from '../helpers/cli.js';
import { stateRoot } from '../helpers/env.js';
import { registerCleanup } from '../helpers/instance.js';
import { isRunning, waitGone, waitNotRunning } from '../helpers/proc.js';

const up = (id: string, ...extra: string[]) => upCommand(id, extra);

test('list and status show a running instance; status of an unknown id exits 2', async (t) => {
  const r = await up('inv-1');
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  registerCleanup(t, () => info);
  const list = await runCli(['list']);
  assert.match(list.stdout, /^ID\s+DRIVER\s+BACKEND\s+PHASE\s+WATCHER\s+SERVER\s+PARENT\s+AGE\s+DATA DIR$/m);
  assert.match(
    list.stdout,
    new RegExp(
      `^inv-1\\s+command\\s+detached\\s+ready\\s+${info.watcherPid}\\s+${info.serverPid}\\s+none\\s+\\d+s`,
      'm',
    ),
  );
  const json = JSON.parse((await runCli(['list', '--json'])).stdout);
  const mine = json.find((v: { id: string }) => v.id === 'inv-1');
  assert.equal(mine.phase, 'ready');
  assert.equal(mine.watcherAlive, true);
  const status = await runCli(['status', 'inv-1']);
  assert.match(status.stdout, /^phase\s+ready$/m);
  assert.match(status.stdout, /^unit\s+-$/m);
  const unknown = await runCli(['status', 'nope']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /ID: "nope" is not valid: no such instance/);
  assert.equal((await runCli(['stop', 'inv-1'])).code, 0);
  assert.doesNotMatch((await runCli(['list'])).stdout, /inv-1/);
});

test('gc recovers an instance whose detached watcher was SIGKILLed: orphan server stopped, data dir deleted', async (t) => {
  const r = await up('inv-2');
  const info = JSON.parse(r.stdout);
  registerCleanup(t, () => info);
  process.kill(info.watcherPid, 'SIGKILL');
  await waitNotRunning(info.watcherPid);
  assert.ok(isRunning(info.serverPid), 'the server outlived its watcher');
  const dry = await runCli(['gc', '--dry-run']);
  assert.match(dry.stdout, /inv-2: would be recovered: would finish: orphan server pid \d+ to be stopped/);
  assert.ok(isRunning(info.serverPid), 'dry run touches nothing');
  assert.ok(existsSync(info.dataDir));
  const gc = await runCli(['gc']);
  assert.match(
    gc.stdout,
    new RegExp(`inv-2: recovered: orphan server pid ${info.serverPid} killed; data dir deleted`),
  );
  await waitGone(info.serverPid);
  assert.equal(existsSync(info.dataDir), false);
  assert.equal(existsSync(info.stateDir), false);
  assert.match((await runCli(['gc'])).stdout, /nothing to clean up/);
});

test('gc keeps deliberately kept data, and up runs a quick gc of dead instances', async (t) => {
  const kept = JSON.parse((await up('inv-3')).stdout);
  registerCleanup(t, () => kept);
  assert.equal((await runCli(['stop', 'inv-3', '--keep'])).code, 0);
  const dead = JSON.parse((await up('inv-4')).stdout);
  registerCleanup(t, () => dead);
  process.kill(dead.watcherPid, 'SIGKILL');
  await waitNotRunning(dead.watcherPid);
  const next = await up('inv-5');
  const fresh = JSON.parse(next.stdout);
  registerCleanup(t, () => fresh);
  assert.doesNotMatch(next.stderr, /inv-4/, 'the quick gc is housekeeping: silent about other instances');
  await waitGone(dead.serverPid);
  assert.equal(existsSync(dead.dataDir), false);
  const gc = await runCli(['gc']);
  assert.ok(gc.stdout.includes(`inv-3: kept: data kept at ${kept.dataDir};`), gc.stdout);
  assert.ok(existsSync(kept.dataDir));
  await runCli(['stop', 'inv-5']);
});

test('gc finishes a half-removed instance dir at once (watcher files, no spec); a foreign file makes it wait', async (t) => {
  const half = join(stateRoot(), 'inv-half');
  const odd = join(stateRoot(), 'inv-odd');
  t.after(() => {
    rmSync(half, { recursive: true, force: true });
    rmSync(odd, { recursive: true, force: true });
  });
  for (const [dir, files] of [
    [half, ['runner.log', 'server.log']],
    [odd, ['runner.log', 'notes.txt']],
  ] as const) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const name of files) writeFileSync(join(dir, name), 'x\n');
  }
  const gc = await runCli(['gc']);
  assert.equal(gc.code, 0, gc.stderr);
  assert.match(gc.stdout, /inv-half: removed-record: a half-removed instance dir/);
  assert.equal(existsSync(half), false);
  assert.match(gc.stdout, /inv-odd: skipped: launching \(no status yet\)/);
  assert.equal(readFileSync(join(odd, 'notes.txt'), 'utf8'), 'x\n', 'an unknown file is never removed early');
});
