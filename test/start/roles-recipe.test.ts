// The README recipe: roles and grants a suite needs (node-postgres' SCRAM tests) made by the migration hook, so they
// are cached in the migrated snapshot like any migration, and each instance's own password still guards the port.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { requirePostgres, runCli } from '../drivers/db.js';
import { ROOT, scratchDir } from '../helpers/env.js';

/** The recipe's roles (as node-postgres' CI makes them). */
const ROLES =
  "SET password_encryption = 'scram-sha-256'; CREATE ROLE scram_test LOGIN PASSWORD 'test4scram';";

/** Connect as scram_test over TCP with the right and a wrong password; print both outcomes. */
const CHECK = `
  const pg = require('pg');
  const e = process.env;
  const tryAs = (user, password) => {
    const c = new pg.Client({ host: e.PGHOST, port: Number(e.PGPORT), user, password, database: e.PGDATABASE });
    return c.connect().then(() => c.query('SELECT current_user AS u')).then((r) => { c.end(); return 'as ' + r.rows[0].u; }, (err) => err.message);
  };
  (async () => {
    console.log(await tryAs('scram_test', 'test4scram'));
    console.log(await tryAs('scram_test', 'wrong'));
    console.log(await tryAs(e.PGUSER, e.PGPASSWORD));
  })();`;

test('README recipe: roles made by --migrate-command are cached; SCRAM works over TCP; the next run reuses them', async (t) => {
  if (!requirePostgres(t)) return;
  // Its own cache: this snapshot holds the suite's fixed test passwords on purpose (tcp-auth checks ours never do).
  const cache = join(scratchDir(t, 'roles-cache-'), 'cache');
  const args = [
    'exec',
    '--password',
    'postgres',
    '--database',
    'ci_db_test',
    '--migrate-command',
    `psql -v ON_ERROR_STOP=1 -Xc "${ROLES}"`,
    '--',
    process.execPath,
    '-e',
    CHECK,
  ];
  const env = { QUICKDB_WATCHER_CACHE: cache, NODE_PATH: join(ROOT, 'node_modules') };
  for (const run of ['first', 'second']) {
    const r = await runCli(args, env);
    assert.equal(r.code, 0, r.stderr);
    const [right, wrong, owner] = r.stdout.trim().split('\n');
    assert.equal(right, 'as scram_test', run);
    assert.match(String(wrong), /password authentication failed for user "scram_test"/, run);
    assert.equal(owner, 'as postgres', run);
    if (run === 'first') assert.match(r.stderr, /running the migrations once/);
    else
      assert.doesNotMatch(r.stderr, /running the migrations/, 'the second run starts from the cached roles');
  }
});
