// An instance's connection read back by id: `status --json` and `list --json` show url and env, `env ID` prints the
// export lines a shell evals to reconnect; DATABASE_URL only for SQL engines; a tampered or foreign record is refused.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chownSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import type { InstanceInfo } from '../../dist/index.js';
import { requireEngine, runCli, startCli } from '../drivers/db.js';
import { requireOrSkip } from '../helpers/env.js';

const run = promisify(execFile);

interface Shown {
  id: string;
  url: string | null;
  env: Record<string, string> | null;
  connectionProblem: string | null;
}

// `status ID --json` and this instance's row of `list --json`, which must agree on the connection.
async function readShown(id: string): Promise<Shown> {
  const status = await runCli(['status', id, '--json']);
  assert.equal(status.code, 0, status.stderr);
  const shown = JSON.parse(status.stdout) as Shown;
  const list = await runCli(['list', '--json']);
  const row = (JSON.parse(list.stdout) as Shown[]).find((r) => r.id === id);
  const pick = (s: Shown | undefined) => ({ url: s?.url, env: s?.env, problem: s?.connectionProblem });
  assert.deepEqual(pick(row), pick(shown), 'list --json shows what status --json shows');
  return shown;
}

// Start DRIVER by `up` for `body`, then stop it cleanly (a hard kill would leave PostgreSQL's SysV segment).
async function withInstance(
  t: TestContext,
  driver: string,
  args: string[],
  body: (info: InstanceInfo) => Promise<void>,
): Promise<void> {
  const info = await startCli(t, driver, args);
  try {
    await body(info);
  } finally {
    await runCli(['stop', info.id]);
  }
}

// Rewrite spec.json's recorded connection for one check, then put the original back.
async function withTamperedSpec(
  info: InstanceInfo,
  change: (connection: { url?: string; env: Record<string, string> }) => void,
  body: () => Promise<void>,
): Promise<void> {
  const path = join(info.stateDir, 'spec.json');
  const original = readFileSync(path, 'utf8');
  try {
    const spec = JSON.parse(original);
    change(spec.info.connection);
    writeFileSync(path, JSON.stringify(spec));
    await body();
  } finally {
    writeFileSync(path, original);
  }
}

// status/list --json show a PostgreSQL instance's url and env; `eval "$(… env ID)"` reconnects bash and dash.
async function checkPgShown(info: InstanceInfo): Promise<void> {
  const shown = await readShown(info.id);
  assert.deepEqual(
    { url: shown.url, env: shown.env, problem: shown.connectionProblem },
    { url: info.url, env: info.env, problem: null },
  );
  for (const shell of ['bash', 'dash']) {
    const script = `eval "$(node "$0" env ${info.id})" && printf '%s' "$DATABASE_URL"`;
    const { stdout } = await run(shell, ['-c', script, join(process.cwd(), 'dist/bin/quickdb-watcher.js')]);
    assert.equal(stdout, info.url, shell);
    const client = new pg.Client({ connectionString: stdout });
    await client.connect();
    assert.equal((await client.query('SELECT 1 AS one')).rows[0].one, 1);
    await client.end();
  }
}

test('status/list --json show url and env; `env ID` prints what `up --format env` did; a shell reconnects', async (t) => {
  if (!requireEngine(t, 'postgresql', 'redis')) return;
  await withInstance(t, 'postgresql', [], checkPgShown);
  const unknown = await runCli(['env', 'no-such-instance-x']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /ID: "no-such-instance-x" is not valid: no such instance/);

  const up = await runCli(['up', 'redis', '--format', 'env', '--parent', String(process.pid)]);
  assert.equal(up.code, 0, up.stderr);
  const id = /^export QUICKDB_ID=(\S+)$/m.exec(up.stdout)?.[1] as string;
  t.after(() => runCli(['kill', id]));
  const env = await runCli(['env', id]);
  assert.equal(env.code, 0, env.stderr);
  assert.equal(env.stdout, up.stdout, 'the same export lines, in the same quoting');
  assert.match(env.stdout, /^export REDIS_URL=/m);
  assert.doesNotMatch(env.stdout, /DATABASE_URL/, 'Redis leaves a shell DATABASE_URL alone');

  const { dataDir, stateDir } = JSON.parse((await runCli(['status', id, '--json'])).stdout);
  t.after(() => {
    for (const dir of [dataDir, stateDir]) rmSync(dir, { recursive: true, force: true });
  });
  assert.equal((await runCli(['stop', id, '--keep'])).code, 0);
  const stopped = await runCli(['env', id]);
  assert.equal(stopped.code, 1);
  assert.match(stopped.stderr, new RegExp(`${id} is not running \\(phase done\\)`));
});

test('exec redis leaves the caller DATABASE_URL alone and sets REDIS_URL', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  const script = `printf "%s|%s" "\${DATABASE_URL-unset}" "$REDIS_URL"`;
  const r = await runCli(['exec', 'redis', '--', 'sh', '-c', script], {
    DATABASE_URL: 'postgresql://keep-me',
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^postgresql:\/\/keep-me\|redis:\/\/default:[\w-]+@127\.0\.0\.1:\d+$/);
});

test('a recorded password that would move the URL host is refused by status, env and db (the URL is rebuilt around it)', async (t) => {
  if (!requireEngine(t, 'postgresql', 'mariadb')) return;
  for (const [driver, key] of [
    ['postgresql', 'PGPASSWORD'],
    ['mariadb', 'MYSQL_PWD'],
  ] as const) {
    await withInstance(t, driver, ['--port', '0'], async (info) => {
      const password = info.env[key] as string;
      const sneaky = 'x@127.0.0.2:1/postgres#';
      const swap = (text: string) => text.replace(password, sneaky);
      await withTamperedSpec(
        info,
        (c) => {
          c.url = swap(String(c.url));
          for (const k of Object.keys(c.env)) c.env[k] = swap(c.env[k] as string);
        },
        async () => {
          const shown = await readShown(info.id);
          assert.equal(shown.url, null, driver);
          const elsewhere = 'leading elsewhere than its own server';
          assert.match(String(shown.connectionProblem), new RegExp(elsewhere), key);
          const env = await runCli(['env', info.id]);
          assert.equal(env.code, 1, driver);
          assert.match(
            env.stderr,
            new RegExp(`refusing to print the connection of ${info.id}: .*${elsewhere}`),
          );
          const db = await runCli(['db', 'list', info.id]);
          assert.equal(db.code, 1, driver);
          assert.match(db.stderr, new RegExp(`refusing to open the databases of ${info.id}: .*${elsewhere}`));
        },
      );
    });
  }
});

test("another user's record is not shown (it would hold their password)", async (t: TestContext) => {
  if (!requireOrSkip(t, process.getuid?.() === 0, 'root (to hand spec.json to another uid)')) return;
  await withInstance(t, 'postgresql', ['--port', '0'], async (info) => {
    const path = join(info.stateDir, 'spec.json');
    const { uid, gid } = statSync(path);
    chownSync(path, 65534, 65534);
    try {
      const shown = await readShown(info.id);
      assert.deepEqual([shown.url, shown.env], [null, null]);
      assert.match(String(shown.connectionProblem), /belongs to uid 65534, not you/);
      const env = await runCli(['env', info.id]);
      assert.equal(env.code, 1);
      assert.doesNotMatch(env.stdout + env.stderr, new RegExp(info.env.PGPASSWORD as string));
    } finally {
      chownSync(path, uid, gid);
    }
  });
});

test('a command instance shows its QUICKDB_* env and no url', async (t) => {
  await withInstance(t, 'command', ['--', 'sleep', '60'], async (info) => {
    const shown = await readShown(info.id);
    assert.deepEqual(
      { url: shown.url, env: shown.env, problem: shown.connectionProblem },
      { url: null, env: info.env, problem: null },
    );
    assert.deepEqual(Object.keys(info.env).sort(), ['QUICKDB_DATA_DIR', 'QUICKDB_ID', 'QUICKDB_STATE_DIR']);
  });
});

test('status ID (text) shows the url as up printed it', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  await withInstance(t, 'redis', [], async (info) => {
    const status = await runCli(['status', info.id]);
    assert.equal(status.code, 0, status.stderr);
    assert.ok(info.url, 'a redis instance has a url');
    assert.ok(status.stdout.includes(`\nurl         ${info.url}\n`), status.stdout);
  });
});
