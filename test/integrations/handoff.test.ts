// The handoff a worker reads from its runner's main process: absent, malformed or tampered input is refused with a
// message naming the missing globalSetup, before anything is opened or connected to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuickdbError, UsageError } from '../../dist/errors.js';
import { openWorkerServer, readHandoff, startRunnerServers } from '../../dist/integrations/servers.js';

const GOOD = { stateRoot: '/tmp/qdw-state', ids: ['postgresql-1a2b3c4d'], perWorker: false };

test('readHandoff: absent, it names the globalSetup to add', () => {
  for (const raw of [undefined, '']) {
    assert.throws(
      () => readHandoff(raw),
      (e: unknown) =>
        e instanceof QuickdbError &&
        /QUICKDB_WATCHER_SERVERS is not set/.test(e.message) &&
        /quickdb-watcher\/vitest\/setup/.test(e.message) &&
        /globalSetup/.test(e.message),
    );
  }
});

test('readHandoff: a good handoff, as JSON text or as an object (vitest inject), reads back the same', () => {
  assert.deepEqual(readHandoff(JSON.stringify(GOOD)), GOOD);
  assert.deepEqual(readHandoff(GOOD), GOOD);
  const perWorker = { stateRoot: '/s', ids: ['a', 'b'], perWorker: true };
  assert.deepEqual(readHandoff(JSON.stringify(perWorker)), perWorker);
});

test('readHandoff: tampered input is refused, each with its reason', () => {
  const cases: [unknown, RegExp][] = [
    ['{not json', /is not JSON/],
    ['[]', /is not an object/],
    ['"text"', /is not an object/],
    [{ ...GOOD, stateRoot: 'relative/state' }, /not an absolute path/],
    [{ ...GOOD, stateRoot: '/tmp/a\u0000b' }, /not an absolute path/],
    [{ ...GOOD, stateRoot: 5 }, /not an absolute path/],
    [{ ...GOOD, ids: [] }, /not a list of 1 to/],
    [{ ...GOOD, ids: 'postgresql-1' }, /not a list of 1 to/],
    [{ ...GOOD, ids: ['../../etc'] }, /not an instance id/],
    [{ ...GOOD, ids: ['/abs'] }, /not an instance id/],
    [{ ...GOOD, ids: ['.hidden'] }, /not an instance id/],
    [{ ...GOOD, ids: [7] }, /not an instance id/],
    [{ ...GOOD, ids: [`a${'b'.repeat(63)}`] }, /not an instance id/],
    [
      { ...GOOD, ids: Array.from({ length: 1025 }, (_, i) => `s${i}`), perWorker: true },
      /not a list of 1 to/,
    ],
    [{ ...GOOD, perWorker: 'yes' }, /perWorker is not true or false/],
    [{ ...GOOD, ids: ['a', 'b'] }, /a shared server is named by exactly one id/],
    [{ ...GOOD, extra: 1 }, /unknown key "extra"/],
  ];
  for (const [raw, reason] of cases) {
    const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
    assert.throws(
      () => readHandoff(text),
      (e: unknown) => e instanceof QuickdbError && reason.test(e.message) && /globalSetup/.test(e.message),
      `${text} refused for ${reason}`,
    );
  }
});

test('openWorkerServer: a worker number beyond the per-worker servers, or not a number, is refused', () => {
  const handoff = { stateRoot: '/tmp/qdw-none', ids: ['a', 'b'], perWorker: true };
  assert.throws(() => openWorkerServer(handoff, 3), /worker 3 has no server: .* started 2/);
  assert.throws(() => openWorkerServer(handoff, 0), /worker 0 is not a worker number/);
  assert.throws(() => openWorkerServer(handoff, 1.5), /worker 1.5 is not a worker number/);
});

test('startRunnerServers: a bad `servers`, a worker count or an id for several servers is a UsageError', async () => {
  await assert.rejects(
    startRunnerServers({ servers: 'each' as never }, 2),
    (e: unknown) =>
      e instanceof UsageError &&
      /^servers: "each" is not valid: expected one of: shared, per-worker/.test(e.message),
  );
  await assert.rejects(
    startRunnerServers({ servers: 'per-worker' }, 0),
    (e: unknown) => e instanceof UsageError && /^workers: 0/.test(e.message),
  );
  await assert.rejects(
    startRunnerServers({ servers: 'per-worker', id: 'mine' }, 2),
    (e: unknown) => e instanceof UsageError && /^id: "mine"/.test(e.message),
  );
});
