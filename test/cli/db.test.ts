// `db create|drop|list ID` on a real PostgreSQL started by `up --migrate --pool`, and the bad input around them:
// unknown ids (exit 2), instances that are not running (exit 1), a tampered spec.json (refused), bad migrate flags.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import type { InstanceInfo } from '../../dist/index.js';
import { runCli } from '../drivers/db.js';
import { scratchDir } from '../helpers/env.js';
import { registerCleanup } from '../helpers/instance.js';
import { killIfRunning } from '../helpers/proc.js';
import { makeProject } from '../start/migrate-kit.js';

const run = promisify(execFile);

interface Created {
  name: string;
  url: string;
  env: Record<string, string>;
  from: 'pool' | 'clone';
}

// A snapshot cache of this test's own (as root, the server's user may traverse it).
function makeCacheEnv(t: TestContext): NodeJS.ProcessEnv {
  const cache = scratchDir(t, 'cache-');
  if (process.getuid?.() === 0) chmodSync(cache, 0o711);
  return { QUICKDB_WATCHER_CACHE: cache };
}

// A process that only sleeps: the parent the instance lives with; killed after the test.
function spawnSleeper(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
}

// Run the CLI and expect exit 0; the parsed stdout when json.
async function runOk(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const r = await runCli(args, env);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// The rows of `widgets` in the database at url.
async function readWidgets(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT name FROM widgets ORDER BY id')).rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

// `db list ID --json`.
async function listDatabases(
  id: string,
  env: NodeJS.ProcessEnv,
): Promise<{ name: string; pooled: boolean }[]> {
  return JSON.parse(await runOk(['db', 'list', id, '--json'], env));
}

test('db create|list|drop on a migrated instance with a pool; databases outlive the command', async (t) => {
  const env = makeCacheEnv(t);
  const project = makeProject(t, {
    '001_widgets.sql':
      "CREATE TABLE widgets (id int PRIMARY KEY, name text);\nINSERT INTO widgets VALUES (1, 'gear');\n",
  });
  const sleeper = spawnSleeper();
  let info: InstanceInfo | null = null;
  t.after(async () => {
    if (info) await runCli(['stop', info.id], env);
    killIfRunning(sleeper.pid);
  });
  registerCleanup(t, () => info);
  const up = ['up', '--migrate', join(project, 'migrations'), '--pool', '1', '--parent', String(sleeper.pid)];
  info = JSON.parse(await runOk([...up, '--format', 'json'], env)) as InstanceInfo;
  const id = info.id;

  const created: Created[] = [];
  for (let i = 0; i < 3; i++) {
    created.push(JSON.parse(await runOk(['db', 'create', id, '--format', 'json'], env)));
    const pooled = (await listDatabases(id, env)).filter((d) => d.pooled);
    assert.ok(pooled.length >= 1, `db create refilled the pool of 1 before exiting (round ${i})`);
  }
  assert.equal(created[2]?.from, 'pool', 'the create after a refill takes a pooled database');
  const [first] = created as [Created];
  assert.match(first.name, /^qdw_/);
  assert.equal(first.env.PGDATABASE, first.name);
  assert.deepEqual(await readWidgets(first.url), ['gear'], 'a clone of the migrated template');

  const listed = await listDatabases(id, env);
  for (const c of created)
    assert.ok(
      listed.some((d) => d.name === c.name && !d.pooled),
      `${c.name} is listed`,
    );
  assert.match(
    await runOk(['db', 'list', id], env),
    new RegExp(`^NAME +POOLED\\n(.*\\n)*${first.name} +no\\n`),
  );

  const text = await runOk(['db', 'create', id, '--name', 'named_one'], env);
  assert.match(text, /^postgresql:\/\/\S+\/named_one\S*\n$/, 'text: the URL on one line');
  assert.deepEqual(await readWidgets(text.trim()), ['gear']);
  const exports = await runOk(['db', 'create', id, '--format', 'env'], env);
  const { stdout } = await run('sh', ['-c', `${exports}\nprintf '%s|%s' "$PGDATABASE" "$DATABASE_URL"`]);
  const [dbName, dbUrl] = stdout.split('|') as [string, string];
  assert.match(dbName, /^qdw_/);
  assert.deepEqual(await readWidgets(dbUrl), ['gear'], 'env: export lines a shell evaluates');

  assert.equal((await runCli(['db', 'create', id, '--name', 'named_one'], env)).code, 1, 'the name is taken');
  const dropped = await runCli(['db', 'drop', id, first.name], env);
  assert.equal(dropped.code, 0, dropped.stderr);
  assert.ok(!(await listDatabases(id, env)).some((d) => d.name === first.name), 'dropped: no longer listed');
  const again = await runCli(['db', 'drop', id, first.name], env);
  assert.equal(again.code, 1);
  assert.match(again.stderr, new RegExp(`${id} has no database ${first.name}`));
  const invalid = await runCli(['db', 'drop', id, 'Not-A-Name'], env);
  assert.equal(invalid.code, 2);
  assert.match(invalid.stderr, /NAME: "Not-A-Name" is not valid/);

  // The cache now holds the plain snapshot and the migrated one, listed apart with what ran for which project.
  const snapshots = await runOk(['snapshots', 'list'], env);
  const migratedAt = snapshots.indexOf('migrated (');
  assert.ok(migratedAt > 0, snapshots);
  const ran = `ran 1 SQL file(s) in ${join(project, 'migrations')} for ${process.cwd()}; from postgresql-`;
  assert.ok(snapshots.indexOf(ran) > migratedAt, snapshots);
  const kinds = JSON.parse(await runOk(['snapshots', 'list', '--json'], env)).map(
    (e: { kind: string }) => e.kind,
  );
  assert.deepEqual(kinds.sort(), ['migrated', 'plain']);
  assert.match(await runOk(['snapshots', 'clear'], env), /^removed 2 snapshot entries/);
  assert.match(await runOk(['snapshots', 'list'], env), /^no snapshots in /);

  // A spec.json whose PGHOST leads elsewhere is refused before anything connects; put back before the stop.
  const specPath = join(info.stateDir, 'spec.json');
  const original = readFileSync(specPath, 'utf8');
  try {
    const spec = JSON.parse(original);
    spec.info.connection.env.PGHOST = '/tmp';
    writeFileSync(specPath, JSON.stringify(spec));
    const refused = await runCli(['db', 'list', id], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /refusing to open the databases of .*PGHOST "\/tmp"/);
  } finally {
    writeFileSync(specPath, original);
  }
});

test('db on an unknown id exits 2 naming ID; on an instance that is not running, 1', async (t) => {
  const unknown = await runCli(['db', 'create', 'no-such-instance-x']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /ID: "no-such-instance-x" is not valid: no such instance/);

  const out = scratchDir(t, 'units-');
  const generated = await runCli(['generate', 'systemd', 'command', '--out', out, '--', 'sleep', '60']);
  assert.equal(generated.code, 0, generated.stderr);
  const id = /quickdb-watcher: (\S+): the definition runs/.exec(generated.stderr)?.[1] as string;
  t.after(() => runCli(['stop', id]));
  const prepared = await runCli(['db', 'list', id]);
  assert.equal(prepared.code, 1);
  assert.match(prepared.stderr, new RegExp(`${id} is not running \\(phase prepared\\)`));
});

test('up with bad migration input exits 2 naming the option, before anything starts', async () => {
  const cases: [string[], RegExp][] = [
    [
      ['--migrate', '/nonexistent'],
      /--migrate: "\/nonexistent" is not valid: expected an existing directory/,
    ],
    [
      ['--migrate-command', 'no-such-program-xyz migrate'],
      /--migrate-command: .*"no-such-program-xyz" was not found/,
    ],
    [
      ['--migrate-command', 'true', '--migrate-hash', '/etc'],
      /--migrate-hash: "\/etc" is not valid: is outside the project/,
    ],
    [
      ['--migrate', '/tmp', '--migrate-command', 'true'],
      /--migrate-command: "true" is not valid: cannot be combined/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(['up', ...args, '--format', 'json']);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});
