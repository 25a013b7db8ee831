// `--format github-env`: what `up` and `db create` print is what GitHub Actions' `$GITHUB_ENV` file takes
// (`NAME=value`, multi-line values as a `NAME<<DELIMITER` heredoc), read back by the runner's rules to a working
// connection; `--format env`'s `export` lines are not that format.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { formatGithubEnv } from '../../dist/cli/format.js';
import { requirePostgres, runCli } from '../drivers/db.js';
import { scratchDir } from '../helpers/env.js';
import { parseGithubEnv } from '../helpers/github-env.js';

test('formatGithubEnv: plain values as NAME=value, line breaks and delimiter look-alikes survive a round trip', () => {
  const env = {
    PLAIN: 'postgresql://u:p@127.0.0.1:5432/db?x=1',
    EMPTY: '',
    MULTI: 'line one\nline two\r\nQUICKDB_EOF_\nend',
    TRAILING: 'ends with a newline\n',
  };
  const text = formatGithubEnv(env);
  assert.match(text, /^PLAIN=postgresql:\/\/u:p@127\.0\.0\.1:5432\/db\?x=1$/m);
  assert.match(text, /^MULTI<<QUICKDB_EOF_[0-9a-f]{16}$/m);
  assert.doesNotMatch(text, /^export /m);
  assert.deepEqual(parseGithubEnv(text), env);
});

test('up --format github-env appended to GITHUB_ENV, then db create --format github-env: a later step connects', async (t) => {
  if (!requirePostgres(t)) return;
  const githubEnv = join(scratchDir(t, 'gh-'), 'github_env');
  const up = await runCli(['up', '--format', 'github-env', '--parent', String(process.pid)]);
  assert.equal(up.code, 0, up.stderr);
  appendFileSync(githubEnv, up.stdout);
  const env = parseGithubEnv(readFileSync(githubEnv, 'utf8'));
  const id = env.QUICKDB_ID as string;
  t.after(() => runCli(['stop', id]));
  assert.match(id, /^postgresql-/);
  for (const name of ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'DATABASE_URL'])
    assert.ok(env[name], `${name} in ${up.stdout}`);

  const created = await runCli(['db', 'create', id, '--format', 'github-env']);
  assert.equal(created.code, 0, created.stderr);
  appendFileSync(githubEnv, created.stdout);
  const later = parseGithubEnv(readFileSync(githubEnv, 'utf8'));
  assert.notEqual(later.PGDATABASE, env.PGDATABASE, 'the later line wins: the per-test database');
  const client = new pg.Client({ connectionString: later.DATABASE_URL });
  await client.connect();
  const { rows } = await client.query('SELECT current_database() AS name');
  await client.end();
  assert.equal(rows[0].name, later.PGDATABASE);
});
