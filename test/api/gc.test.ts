// collectGarbage() for a library user: an instance whose watcher was SIGKILLed is finished (its orphan server
// stopped, its data dir deleted, its record removed); a running one is left alone.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { collectGarbage, inspectInstance } from '../../dist/index.js';
import { stateRoot } from '../helpers/env.js';
import { startFixture } from '../helpers/instance.js';
import { waitFor } from '../helpers/poll.js';
import { isRunning, waitGone } from '../helpers/proc.js';

test('collectGarbage() finishes an instance whose watcher was killed, and leaves a running one alone', async (t) => {
  const options = { stateRoot: stateRoot() };
  const dead = await startFixture(t, { options: { parent: 'none' } });
  const live = await startFixture(t);
  t.after(() => live.instance.stop());
  const { id, watcherPid, serverPid, dataDir } = dead.info;
  process.kill(watcherPid, 'SIGKILL');
  await waitFor(`watcher ${watcherPid} not running`, () => !isRunning(watcherPid));

  const dry = await collectGarbage({ ...options, dryRun: true });
  assert.equal(dry.find((a) => a.id === id)?.action, 'recovered', 'a dry run says it would finish it');
  assert.ok(existsSync(dead.info.stateDir), 'a dry run changes nothing');

  const actions = await collectGarbage(options);
  const done = actions.find((a) => a.id === id);
  assert.equal(done?.action, 'recovered', JSON.stringify(actions));
  assert.equal(existsSync(dataDir), false, `data dir deleted (${done?.detail})`);
  assert.equal(existsSync(dead.info.stateDir), false, 'record removed');
  if (serverPid) assert.ok(await waitGone(serverPid), `orphan server ${serverPid} gone`);
  assert.equal(
    actions.find((a) => a.id === live.info.id),
    undefined,
    'the running instance is not touched',
  );
  assert.equal(inspectInstance(live.info.id, options)?.phase, 'ready');
});
