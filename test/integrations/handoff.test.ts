// The handoff a worker reads from its runner's main process: absent, malformed or tampered input is refused with a
// message naming the missing globalSetup, before anything is opened or connected to.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { QuickdbError, UsageError } from '../../dist/errors.js';
import { openWorkerServer, readHandoff, startRunnerServers } from '../../dist/integrations/servers.js';
import { dbOptions, requirePostgres } from '../drivers/db.js';
import { listStateEntries, scratchDir } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { findProcesses } from '../helpers/proc.js';

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

test('startRunnerServers: a bad `servers` or driver, a worker count or an id for several servers is a UsageError', async () => {
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
    startRunnerServers({ driver: 'postgres' as never }, 2),
    (e: unknown) =>
      e instanceof UsageError && /^unknown driver "postgres"; did you mean postgresql\? /.test(e.message),
  );
  await assert.rejects(
    startRunnerServers({ servers: 'per-worker', id: 'mine' }, 2),
    (e: unknown) => e instanceof UsageError && /^id: "mine"/.test(e.message),
  );
});

test('readHandoff: extra servers (`also`) read back; tampered ones are refused, each with its reason', () => {
  const cache = { stateRoot: '/tmp/qdw-state', ids: ['redis-1a2b3c4d'], perWorker: false };
  const withAlso = { ...GOOD, also: { cache, queue: { stateRoot: '/s', ids: ['a', 'b'], perWorker: true } } };
  assert.deepEqual(readHandoff(JSON.stringify(withAlso)), withAlso);
  const cases: [unknown, RegExp][] = [
    [{ ...GOOD, also: [] }, /its also is not an object/],
    [{ ...GOOD, also: { cache: 'x' } }, /its also\.cache is not an object/],
    [{ ...GOOD, also: { '../x': cache } }, /its also names "\.\.\/x", not a server name/],
    [
      { ...GOOD, also: { cache: { ...cache, ids: ['../../etc'] } } },
      /its also\.cache\.ids hold "\.\.\/\.\.\/etc"/,
    ],
    [
      { ...GOOD, also: { cache: { ...cache, stateRoot: 'rel' } } },
      /its also\.cache\.stateRoot "rel" is not an absolute/,
    ],
    [{ ...GOOD, also: { cache: { ...cache, also: {} } } }, /its also\.cache names an unknown key "also"/],
    [
      { ...GOOD, also: { cache: { ...cache, ids: ['a', 'b'] } } },
      /a shared server is named by exactly one id/,
    ],
    [
      { ...GOOD, also: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`s${i}`, cache])) },
      /its also names more than 16 groups/,
    ],
  ];
  for (const [raw, reason] of cases) {
    assert.throws(
      () => readHandoff(JSON.stringify(raw)),
      (e: unknown) => e instanceof QuickdbError && reason.test(e.message) && /globalSetup/.test(e.message),
      `${JSON.stringify(raw)} refused for ${reason}`,
    );
  }
});

test('openWorkerServer: a worker beyond an extra group of per-worker servers is refused, naming the group', () => {
  const handoff = {
    stateRoot: '/tmp/qdw-none',
    ids: ['main'],
    perWorker: false,
    also: { queue: { stateRoot: '/tmp/qdw-none', ids: ['a', 'b'], perWorker: true } },
  };
  assert.throws(() => openWorkerServer(handoff, 3), /worker 3 has no also\.queue server: .* started 2/);
});

test('startRunnerServers: a bad extra server is refused by its `also.NAME.OPTION` before any server starts', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'qdw-also-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const stateRoot = join(root, 'state');
  const refused: [unknown, RegExp][] = [
    [{ cache: { driver: 'redsi' } }, /^also\.cache: unknown driver "redsi"; did you mean redis\? /],
    [{ cache: { driver: 'redis', servers: 'each' } }, /^also\.cache\.servers: "each" is not valid/],
    [{ cache: { driver: 'redis', pollMs: -1 } }, /^also\.cache\.pollMs: -1/],
    [{ cache: { driver: 'redis', colour: 1 } }, /^also\.cache: unknown option "colour"/],
    [
      { cache: { driver: 'redis', also: {} } },
      /^also\.cache\.also: \{\} is not valid: extra servers are named at the top level/,
    ],
    [{ 'cache!': { driver: 'redis' } }, /^also: "cache!" is not valid: expected server names/],
    [{ cache: 'redis' }, /^also\.cache: "redis" is not valid: expected an object/],
    [['redis'], /^also: \["redis"\] is not valid: expected an object of extra servers/],
    [
      { queue: { driver: 'redis', servers: 'per-worker', id: 'q' } },
      /^also\.queue\.id: "q" is not valid: one id cannot/,
    ],
  ];
  for (const [also, reason] of refused) {
    await assert.rejects(
      startRunnerServers({ stateRoot, also: also as never }, 2),
      (e: unknown) => e instanceof UsageError && reason.test(e.message),
      `${JSON.stringify(also)} refused for ${reason}`,
    );
  }
  assert.ok(!existsSync(stateRoot) || readdirSync(stateRoot).length === 0, 'no server was started');
});

test('startRunnerServers: when an extra server fails to start, the main one that started is stopped; nothing is left', async (t) => {
  if (!requirePostgres(t)) return;
  const dir = scratchDir(t, 'also-fail-');
  chmodSync(dir, 0o711); // as root, the postgres user must reach the state root below
  const stateRoot = join(dir, 'state');
  const options = dbOptions('postgresql', { stateRoot });
  const broken = { driver: 'command' as const, args: ['false'], stateRoot, readyFile: join(dir, 'never') };
  await assert.rejects(
    startRunnerServers({ ...options, also: { broken } }, 2),
    (e: unknown) => e instanceof QuickdbError && /exited on its own with code 1/.test(e.message),
  );
  assert.equal(process.env.QUICKDB_WATCHER_SERVERS, undefined, 'no handoff was set');
  await waitFor('the state root to hold no instance', () => listStateEntries(stateRoot).length === 0);
  assert.deepEqual(findProcesses(stateRoot), [], 'no watcher or server of the run is left');
});
