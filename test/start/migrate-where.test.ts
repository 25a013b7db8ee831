// Where a migration is and where it failed (issue 23): relative paths resolve against `migrateRoot` (the runner's
// root), a missing dir is named absolutely with what exists nearby, and a SQL error points at file:line:column.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServer, UsageError } from '../../dist/index.js';
import { dbOptions, requireEngine } from '../drivers/db.js';
import { makeProject } from './migrate-kit.js';

test('a relative migrate dir resolves against migrateRoot, not the cwd', async (t) => {
  if (!requireEngine(t, 'postgresql')) return;
  const project = makeProject(t, { [`001_${Date.now()}.sql`]: 'CREATE TABLE rooted (id int);\n' });
  const instance = await startServer(
    dbOptions('postgresql', { migrate: 'migrations', migrateRoot: project }),
  );
  t.after(() => instance.stop());
  const db = await instance.createDatabase();
  assert.ok(db.url);
});

test('a missing migrate dir: the error names the absolute path tried and the migrations dir nearby', async (t) => {
  const project = makeProject(t);
  mkdirSync(join(project, 'db', 'migrations'), { recursive: true });
  writeFileSync(join(project, 'db', 'migrations', '001.sql'), 'SELECT 1;\n');
  for (const [migrate, tried] of [
    ['migrations-x', join(project, 'migrations-x')],
    ['./src/migrations', join(project, 'src', 'migrations')],
  ]) {
    await assert.rejects(
      startServer(dbOptions('postgresql', { migrate, migrateRoot: project })),
      (e: Error) => {
        assert.ok(e instanceof UsageError, String(e));
        assert.equal(e.option, 'migrate');
        assert.ok(e.message.includes(`${tried} does not exist`), e.message);
        assert.match(e.message, /did you mean \.\/db\/migrations/, e.message);
        return true;
      },
    );
  }
  await assert.rejects(
    startServer(dbOptions('postgresql', { migrate: 'migrations', migrateRoot: 'no/such' })),
    (e: Error) => {
      assert.ok(e instanceof UsageError && e.option === 'migrateRoot', String(e));
      return true;
    },
  );
});

test('PostgreSQL: a migration SQL error names file:line:column, not a character offset', async (t) => {
  if (!requireEngine(t, 'postgresql')) return;
  const project = makeProject(t, {
    '001_ok.sql': `CREATE TABLE fine_${Date.now()} (id int);\n`,
    '002_bad.sql': '-- a comment\nCREATE TABLE ok2 (id int);\nCREATE TABLE broken (id int;\n',
  });
  const error = await startServer(dbOptions('postgresql', { migrate: join(project, 'migrations') })).catch(
    (e) => e,
  );
  const where = `${join(project, 'migrations', '002_bad.sql')}:3:28`;
  assert.ok(String(error.message).includes(where), `${error.message}\n${error.details}`);
});

test('MariaDB: a migration SQL error names file:line:column where the text it quotes is found once', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  const bad = 'CREATE TABLE broken (id int) ENGINE = = InnoDB;';
  const project = makeProject(t, {
    [`001_${Date.now()}.sql`]: `CREATE TABLE ok1 (id int);\n\nCREATE TABLE ok2 (id int);\n${bad}\n`,
  });
  const error = await startServer(dbOptions('mariadb', { migrate: join(project, 'migrations') })).catch(
    (e) => e,
  );
  const column = bad.indexOf('= InnoDB') + 1; // MariaDB quotes from the token it stumbled on: "near '= InnoDB' at line 1"
  assert.match(
    String(error.message),
    new RegExp(`001_\\d+\\.sql:4:${column}\\)`),
    `${error.message}\n${error.details}`,
  );
});
