// The version matrix's own check: a start with no version named runs the major QUICKDB_WATCHER_PG_VERSION asks for
// (CI runs the PostgreSQL driver, migration and per-test database tests again with it set to fetched majors), or
// the installed one when it is unset. Without this, a matrix pass that silently ran the system's would look green.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { findPgBinaries } from '../../dist/drivers/postgresql/binaries.js';
import { readPgVersion } from '../../dist/drivers/postgresql/server-version.js';
import { requirePostgres, startLib } from './db.js';

test('a start with no version named runs QUICKDB_WATCHER_PG_VERSION, else the installed major', async (t) => {
  if (!requirePostgres(t)) return;
  const asked = process.env.QUICKDB_WATCHER_PG_VERSION;
  const expected = asked ?? readPgVersion(findPgBinaries(undefined).postgres).split('.')[0];
  const instance = await startLib(t, 'postgresql');
  const client = new pg.Client({ connectionString: instance.url });
  await client.connect();
  const { server_version } = (await client.query('SHOW server_version')).rows[0];
  await client.end();
  await instance.stop();
  process.stderr.write(`matrix: PostgreSQL ${server_version} (${instance.info.server?.source})\n`);
  assert.match(server_version, new RegExp(`^${expected}\\.`));
  assert.equal(instance.info.server?.version, server_version.split(' ')[0]);
  if (asked)
    assert.equal(instance.info.server?.source, 'fetched', 'this machine has no such major installed');
});
