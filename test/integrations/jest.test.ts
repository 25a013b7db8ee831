// quickdb-watcher/jest outside jest's runner: the globalSetup starts a server per worker and hands them over in the
// environment, the globalTeardown of the other build (CommonJS) stops them (both share globalThis, not module state),
// bad `globals.quickdbWatcher` is a UsageError naming it, and the test-file helpers refuse to run without jest's hooks.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { QuickdbError, UsageError } from '../../dist/errors.js';
import { createGlobalSetup, useDatabase, useServer } from '../../dist/integrations/jest.js';
import readyMadeSetup from '../../dist/integrations/jest-global-setup.js';
import { ROOT } from '../helpers/env.js';
import { fixtureOptions, registerCleanup } from '../helpers/instance.js';
import { isRunning } from '../helpers/proc.js';

const require = createRequire(import.meta.url);

test('jest globalSetup (ESM build): a server per worker, handed over in the env; the CommonJS globalTeardown stops them', async (t) => {
  const { options } = fixtureOptions(t);
  const servers = await createGlobalSetup({ ...options, servers: 'per-worker' })({ maxWorkers: 2 });
  for (const instance of servers.instances) registerCleanup(t, () => instance.info);
  assert.equal(servers.instances.length, 2);
  const handoff = JSON.parse(process.env.QUICKDB_WATCHER_SERVERS ?? '{}');
  assert.deepEqual(
    handoff.ids,
    servers.instances.map((i) => i.id),
  );
  assert.equal(handoff.perWorker, true);
  const cjs = require(`${ROOT}/dist/cjs/jest.cjs`) as typeof import('../../dist/integrations/jest.js');
  await cjs.createGlobalTeardown()();
  for (const { info } of servers.instances) {
    assert.equal(
      isRunning(info.watcherPid) || (info.serverPid !== null && isRunning(info.serverPid)),
      false,
      `${info.id} stopped`,
    );
    assert.equal(existsSync(info.stateDir), false, `${info.id}: state dir removed`);
  }
  assert.equal(process.env.QUICKDB_WATCHER_SERVERS, undefined, 'the handoff is withdrawn');
  await cjs.createGlobalTeardown()(); // nothing left to stop: a second teardown is a no-op
});

test('jest ready-made globalSetup: globals.quickdbWatcher that is not an object is a UsageError naming it', async () => {
  for (const value of ['migrations', 5, ['a'], null]) {
    await assert.rejects(
      readyMadeSetup({ maxWorkers: 1 }, { globals: { quickdbWatcher: value } }),
      (e: unknown) =>
        e instanceof UsageError &&
        e.option === 'globals.quickdbWatcher' &&
        /expected an object of startServer options/.test(e.message),
    );
  }
});

test('jest helpers outside a jest test file: refused, naming the hooks they need', () => {
  for (const [name, call] of [
    ['useDatabase()', useDatabase],
    ['useServer()', useServer],
  ] as const) {
    assert.throws(
      call,
      (e: unknown) =>
        e instanceof QuickdbError &&
        e.message.includes(name) &&
        /beforeAll, afterAll, beforeEach, afterEach globals are missing/.test(e.message),
    );
  }
});
