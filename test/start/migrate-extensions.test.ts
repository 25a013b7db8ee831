// PostgreSQL extensions in migrations (issue 24): contrib (citext) works on the system binaries and on the embedded
// ones; PostGIS works on the system PostgreSQL 15 with its Debian package.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { startLib } from '../drivers/db.js';
import { requireOrSkip } from '../helpers/env.js';
import { EMBEDDED_PG_BIN, makeProject, requirePgBin, SYSTEM_PG_BIN } from './migrate-kit.js';

const POSTGIS_CONTROL = '/usr/share/postgresql/15/extension/postgis.control';

// The one row the query gives in the database at url.
async function queryOne(url: string, sql: string): Promise<Record<string, unknown>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0];
  } finally {
    await client.end();
  }
}

const CITEXT = [
  'create extension if not exists citext;',
  'create table people (email citext primary key);',
  "insert into people values ('Ada@Example.org');",
  '',
].join('\n');

for (const [what, dir] of [
  ['the system PostgreSQL 15', SYSTEM_PG_BIN],
  ['the embedded PostgreSQL', EMBEDDED_PG_BIN],
]) {
  test(`contrib (citext) in a migration works on ${what}`, async (t) => {
    if (!requirePgBin(t, dir as string, what as string)) return;
    const project = makeProject(t, { [`001_extensions_${Date.now()}.sql`]: CITEXT });
    await using instance = await startLib(t, 'postgresql', {
      pgBin: dir,
      migrate: join(project, 'migrations'),
    });
    await using db = await instance.createDatabase();
    const row = await queryOne(
      db.url as string,
      "select count(*)::int as n from people where email = 'ada@example.ORG'",
    );
    assert.equal(row.n, 1, 'citext compares case-insensitively in a per-test database');
  });
}

test('PostGIS in a migration works on the system PostgreSQL 15 with postgresql-15-postgis-3', async (t) => {
  if (!requirePgBin(t, SYSTEM_PG_BIN, 'the system PostgreSQL 15')) return;
  const postgis = existsSync(POSTGIS_CONTROL);
  if (!requireOrSkip(t, postgis, 'PostGIS for PostgreSQL 15', 'apt-get install postgresql-15-postgis-3'))
    return;
  const project = makeProject(t, { [`001_gis_${Date.now()}.sql`]: 'create extension postgis;\n' });
  await using instance = await startLib(t, 'postgresql', {
    pgBin: SYSTEM_PG_BIN,
    migrate: join(project, 'migrations'),
  });
  await using db = await instance.createDatabase();
  const row = await queryOne(db.url as string, 'select postgis_version() as v');
  assert.match(String(row.v), /^3\./, 'PostGIS 3 answers in a per-test database');
});
