// The heir (issue 23): when the parent goes while a database of the instance is kept, the instance passes to its
// heir and lives until the heir ends; without a kept database, or with a bad heir, nothing changes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { startServer, UsageError } from '../../dist/index.js';
import { writeKeptNote } from '../../dist/state/records/kept-note.js';
import { fixtureOptions, registerCleanup } from '../helpers/instance.js';
import { waitFor } from '../helpers/poll.js';
import { isRunning, killIfRunning, waitGone } from '../helpers/proc.js';

// A `sleep` that stands for a process (the runner, the shell), killed after the test.
function spawnSleeper(t: TestContext): number {
  const child = spawn('sleep', ['1000'], { stdio: 'ignore' });
  t.after(() => killIfRunning(child.pid));
  return child.pid as number;
}

async function startWithHeir(t: TestContext) {
  const parent = spawnSleeper(t);
  const heir = spawnSleeper(t);
  const { options } = fixtureOptions(t, { options: { parent, heir, lifeline: false } });
  const instance = await startServer(options);
  registerCleanup(t, () => instance.info);
  return { parent, heir, info: instance.info };
}

test('a kept database: the parent goes, the server stays with the heir; the heir goes, everything goes', async (t) => {
  const { parent, heir, info } = await startWithHeir(t);
  writeKeptNote(info.stateDir, 'qdw_kept');
  process.kill(parent, 'SIGKILL');
  const log = join(info.stateDir, 'runner.log');
  await waitFor('the watcher to pass the instance to its heir', () =>
    readFileSync(log, 'utf8').includes(`passes to its heir, process ${heir}`),
  );
  assert.ok(isRunning(info.serverPid as number), 'the server outlived its parent');
  process.kill(heir, 'SIGKILL');
  assert.ok(await waitGone(info.serverPid as number), 'the server goes with the heir');
  assert.ok(await waitGone(info.watcherPid));
  await waitFor(
    'the data and state dirs to go',
    () => !existsSync(info.dataDir) && !existsSync(info.stateDir),
  );
});

test('no kept database: the parent goes and the instance ends, heir or not', async (t) => {
  const { parent, heir, info } = await startWithHeir(t);
  process.kill(parent, 'SIGKILL');
  assert.ok(await waitGone(info.serverPid as number));
  await waitFor(
    'the data and state dirs to go',
    () => !existsSync(info.dataDir) && !existsSync(info.stateDir),
  );
  assert.ok(isRunning(heir), 'the heir was left alone');
});

test('heir: a pid that is not a running process is refused, naming the option', async (t) => {
  for (const heir of [0, 1.5, process.pid, 2 ** 22 + 1]) {
    const { options } = fixtureOptions(t, { options: { heir } });
    await assert.rejects(startServer(options), (error: Error) => {
      assert.ok(error instanceof UsageError, String(error));
      assert.match(error.message, new RegExp(`heir.*${heir}`), error.message);
      return true;
    });
  }
});
