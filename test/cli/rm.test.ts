// `rm ID`: the data a stopped instance kept is deleted with its record, only when our marker says it is that
// instance's; a running instance, an unknown id and a dir not proven ours are refused.
import assert from 'node:assert/strict';
import { existsSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, upCommand } from '../helpers/cli.js';
import { registerCleanup } from '../helpers/instance.js';

test('rm deletes the data a stop --keep kept and its record; the stop and gc messages name it', async (t) => {
  const kept = JSON.parse((await upCommand('rm-1', [])).stdout);
  registerCleanup(t, () => kept);
  const stop = await runCli(['stop', 'rm-1', '--keep']);
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stdout, /rm-1: stopped; data dir kept.*`quickdb-watcher rm rm-1` deletes it/);
  assert.match(
    (await runCli(['gc'])).stdout,
    /rm-1: kept: data kept at .*`quickdb-watcher rm rm-1` deletes it/,
  );
  assert.ok(existsSync(kept.dataDir));
  const rm = await runCli(['rm', 'rm-1']);
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal(rm.stdout, `rm-1: data dir ${kept.dataDir} deleted; record removed\n`);
  assert.equal(existsSync(kept.dataDir), false);
  assert.equal(existsSync(kept.stateDir), false);
  assert.doesNotMatch((await runCli(['list'])).stdout, /rm-1/);
  const again = await runCli(['rm', 'rm-1']);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /ID: "rm-1" is not valid: no such instance/);
});

test('rm refuses a running instance, and a kept dir whose marker is not its own (both left as they are)', async (t) => {
  const running = JSON.parse((await upCommand('rm-2', [])).stdout);
  registerCleanup(t, () => running);
  const refused = await runCli(['rm', 'rm-2']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /rm-2 is ready, not stopped; `quickdb-watcher stop rm-2` stops it/);
  assert.ok(existsSync(running.dataDir));
  assert.equal((await runCli(['stop', 'rm-2', '--keep'])).code, 0);
  // The kept dir no longer carries our marker (a user took it over): not proven ours, so never deleted.
  unlinkSync(join(running.dataDir, '.quickdb-watcher'));
  const notOurs = await runCli(['rm', 'rm-2']);
  assert.equal(notOurs.code, 1);
  assert.match(
    notOurs.stderr,
    /rm-2: data dir not deleted: .* has no \.quickdb-watcher marker; not ours; record kept/,
  );
  assert.ok(existsSync(running.dataDir));
  assert.ok(existsSync(running.stateDir));
  t.after(() => rmSync(running.stateDir, { recursive: true, force: true }));
  t.after(() => rmSync(running.dataDir, { recursive: true, force: true }));
});
