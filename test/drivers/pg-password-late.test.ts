// The default account's password is set over the socket once the server runs: until then no TCP login succeeds
// (not with the instance's own password, not with a guess), after it the instance's password works. The launch is
// driven step by step here so the window between the server's ready and the password is held open.
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { detachedBackend } from '../../dist/backends/detached.js';
import { controlInstance } from '../../dist/index.js';
import { normalizeOptions } from '../../dist/launch/options/normalize.js';
import { prepareInstance } from '../../dist/launch/prepare.js';
import { loadValidDriver } from '../../dist/launch/valid-driver.js';
import { waitForReady } from '../../dist/launch/wait.js';
import { requireEngine } from '../drivers/db.js';
import { tryPgLogin } from '../helpers/pg-login.js';

// Prepare a PostgreSQL instance (as a launch, or as `generate` does), start its watcher without the launch's
// after-start step, wait for ready; its prepared record and a TCP login config without a password.
async function startWithoutAfterStart(t: TestContext, launching: boolean) {
  const options = normalizeOptions({ driver: 'postgresql', backend: 'detached', parent: 'none' });
  const valid = await loadValidDriver(options);
  const launch = launching ? { onClaimed: () => {} } : undefined;
  const prepared = await prepareInstance(options, valid, 'detached', launch);
  t.after(() => controlInstance(options.stateRoot, prepared.spec.id, 'stop').catch(() => {}));
  const launched = await detachedBackend.launch(prepared.spec, prepared.paths);
  const ready = await waitForReady(
    prepared.paths.status,
    () => ({ pid: launched.watcherPid as number }),
    60_000,
  );
  assert.equal(ready.kind, 'ready');
  const env = prepared.record.connection.env;
  assert.ok(env.PGPASSWORD, 'the record names a password');
  const tcp = { host: '127.0.0.1', port: Number(env.PGPORT), user: env.PGUSER, database: env.PGDATABASE };
  return { prepared, tcp, password: env.PGPASSWORD as string };
}

test('between the server ready and the late password, TCP refuses every login; after it, the password works', async (t) => {
  if (!requireEngine(t, 'postgresql')) return;
  const { prepared, tcp, password } = await startWithoutAfterStart(t, true);
  assert.equal(
    typeof prepared.afterStart,
    'function',
    'a new data dir with the default account sets it late',
  );
  for (const guess of [password, 'x', 'postgres'])
    assert.match(
      await tryPgLogin({ ...tcp, password: guess }),
      /password authentication failed/,
      `"${guess}" refused`,
    );
  // The user's own PG* settings (for their clients) do not reach our socket session.
  const saved = { PGSSLMODE: process.env.PGSSLMODE, PGOPTIONS: process.env.PGOPTIONS };
  Object.assign(process.env, { PGSSLMODE: 'require', PGOPTIONS: '-c default_transaction_read_only=on' });
  try {
    await prepared.afterStart?.();
  } finally {
    for (const [name, value] of Object.entries(saved))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  }
  assert.equal(await tryPgLogin({ ...tcp, password }), 'connected');
  assert.match(await tryPgLogin({ ...tcp, password: 'wrong' }), /password authentication failed/);
});

test('a generated instance (no launch to run a late step) has its password before its server starts', async (t) => {
  if (!requireEngine(t, 'postgresql')) return;
  const { prepared, tcp, password } = await startWithoutAfterStart(t, false);
  assert.equal(prepared.afterStart, undefined);
  assert.equal(await tryPgLogin({ ...tcp, password }), 'connected');
});
