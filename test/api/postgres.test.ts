// The management API against a real PostgreSQL instance, as another process of the user meets it: listed, inspected
// (ready, its exact version), opened by id for a per-test database a client connects to, and stopped by id.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import {
  controlInstance,
  inspectInstance,
  listInstances,
  openInstance,
  readConnection,
} from '../../dist/index.js';
import { requirePostgres, startLib } from '../drivers/db.js';
import { stateRoot } from '../helpers/env.js';
import { tryPgLogin } from '../helpers/pg-login.js';
import { waitGone } from '../helpers/proc.js';

test('list, inspect, openInstance(id).createDatabase() and controlInstance(id, "stop") on a running PostgreSQL', async (t) => {
  if (!requirePostgres(t)) return;
  const started = await startLib(t, 'postgresql');
  const { id, serverPid, watcherPid, dataDir } = started.info;
  const options = { stateRoot: stateRoot() };

  const listed = listInstances(options).find((view) => view.id === id);
  assert.equal(listed?.phase, 'ready', 'listInstances sees it ready');

  const view = inspectInstance(id, options);
  assert.equal(view?.phase, 'ready');
  assert.equal(view?.serverAlive, true);
  assert.equal(view?.watcherAlive, true);
  assert.match(view?.server?.version ?? '', /^\d+\.\d+/, 'the exact server version');
  assert.equal(view?.server?.version, started.info.server?.version);
  assert.equal(readConnection(id, options).url, started.url, 'the connection read back is the one started');

  const opened = openInstance(id, options);
  try {
    assert.equal(opened.url, started.url);
    const db = await opened.createDatabase();
    assert.equal(
      await tryPgLogin({ connectionString: db.url }),
      'connected',
      'a client reaches the new database',
    );
    assert.ok(
      (await opened.listDatabases()).some((d) => d.name === db.name),
      'listed while it exists',
    );
    await opened.dropDatabase(db.name);
    assert.ok(!(await opened.listDatabases()).some((d) => d.name === db.name), 'gone once dropped');
  } finally {
    await opened.close();
  }

  const result = await controlInstance(id, 'stop', options);
  assert.equal(result.ok, true, JSON.stringify(result.status));
  assert.equal(result.signalled, true);
  assert.ok(await waitGone(serverPid as number), `server pid ${serverPid} is gone`);
  assert.ok(await waitGone(watcherPid as number), `watcher pid ${watcherPid} is gone`);
  assert.equal(existsSync(dataDir), false, 'its data dir is deleted');
  assert.equal(inspectInstance(id, options), null, 'and its record');
});
