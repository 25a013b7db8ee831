// An extension the chosen PostgreSQL binaries lack (issue 24): the launch fails cleanly, and the error names the
// extension, the binaries (version, source, bin dir) and how to get it, with PostgreSQL's words and a file:line caret.
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { explainMissingExtension } from '../../dist/drivers/postgresql/extensions.js';
import { startServer } from '../../dist/index.js';
import { locateSqlError } from '../../dist/start/migrate/sql-position.js';
import { dbOptions, runCli } from '../drivers/db.js';
import { listStateEntries, scratchDir } from '../helpers/env.js';
import { requireRegistry } from '../helpers/fake-registry.js';
import { EMBEDDED_PG_BIN, makeProject, requirePgBin, SYSTEM_PG_BIN } from './migrate-kit.js';

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

test('PostGIS on the embedded binaries: the CLI fails as a failing migration does, saying what to use instead', async (t) => {
  if (!requirePgBin(t, EMBEDDED_PG_BIN, 'the embedded PostgreSQL')) return;
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
      EMBEDDED_PG_BIN,
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
  assert.ok(said.includes(`bin dir ${realpathSync(EMBEDDED_PG_BIN)}`), said);
  // How to get it: these carry contrib only; a system install by --pg-bin, with its distribution package.
  assert.match(said, /contrib only/, said);
  assert.match(
    said,
    /--pg-version \d+ or --pg-bin \/usr\/lib\/postgresql\/\d+\/bin \(pgVersion, pgBin in the library\)/,
    said,
  );
  assert.match(said, /apt-get install postgresql-(\d+|<major>)-postgis-3/, said);
  // Nothing left: no record under the state root, no process started under it.
  assert.deepEqual(listStateEntries(state), []);
  assert.deepEqual(listProcessesMentioning(state), []);
});

test('a migrate function whose CREATE EXTENSION fails on the embedded binaries gets the same explanation', async (t) => {
  if (!requirePgBin(t, EMBEDDED_PG_BIN, 'the embedded PostgreSQL')) return;
  const migrate = async (url: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('create extension vector');
    } finally {
      await client.end();
    }
  };
  const options = { pgBin: EMBEDDED_PG_BIN, snapshot: false, migrate, migrateKey: `vec-${Date.now()}` };
  const error = await startServer(dbOptions('postgresql', options)).catch((e) => e);
  const said = `${error.message}\n${error.details}`;
  assert.match(said, /the migrate function failed: extension "vector" is not available/, said);
  assert.match(said, /lack the extension "vector": PostgreSQL 18\.\d+ from pg-bin/, said);
  assert.match(said, /carry contrib only/, said);
});

test('an extension the system install lacks names its Debian package (pgvector: postgresql-15-pgvector)', async (t) => {
  if (!requirePgBin(t, SYSTEM_PG_BIN, 'the system PostgreSQL 15')) return;
  const project = makeProject(t, { [`001_vec_${Date.now()}.sql`]: 'create extension vector;\n' });
  const error = await startServer(
    dbOptions('postgresql', { pgBin: SYSTEM_PG_BIN, snapshot: false, migrate: join(project, 'migrations') }),
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

test('PostgreSQL 14, fetched (pgVersion: 14): the pre-15 error (no control file) gets the same explanation, live', async (t) => {
  if (!(await requireRegistry(t))) return;
  const project = makeProject(t, { [`001_gis_${Date.now()}.sql`]: 'create extension postgis;\n' });
  const error = await startServer(
    dbOptions('postgresql', { pgVersion: 14, snapshot: false, migrate: join(project, 'migrations') }),
  ).catch((e) => e);
  const said = `${error.message}\n${error.details}`;
  assert.match(said, /could not open extension control file .*postgis\.control/, said);
  assert.match(said, /lack the extension "postgis": PostgreSQL 14\.\d+ from fetched/, said);
  assert.match(said, /carry contrib only/, said);
});
