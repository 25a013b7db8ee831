// Smoke: a fixture server starts under the runner and a stop removes everything.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { startFixture } from '../helpers/instance.js';
import { isGone, waitGone } from '../helpers/proc.js';

test('a polite fixture starts, stops and leaves nothing', async (t) => {
  const { instance, info } = await startFixture(t);
  assert.ok(info.serverPid && !isGone(info.serverPid));
  assert.ok(existsSync(info.dataDir));
  const result = await instance.stop();
  assert.equal(result.ok, true);
  await waitGone(info.watcherPid);
  await waitGone(info.serverPid as number);
  assert.equal(existsSync(info.dataDir), false);
  assert.equal(existsSync(info.stateDir), false);
});
