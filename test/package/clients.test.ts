// The URLs every major client parses: a fresh project installs the packed package and the clients the README names
// (from the registry, today's majors), and each connects through an instance's default URL and through a per-test
// database's URL, reaching that database.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { requireEngine } from '../drivers/db.js';
import { cleanEnv, prepareProject, requirePackageTools } from './project.js';

const run = promisify(execFile);

interface Attempt {
  client: string;
  which: 'default' | 'per-test';
  ok: boolean;
  saw: string;
  expected: string | null;
}

/** What each engine's default URL names: PostgreSQL its main database, MariaDB `test`, Redis answers PONG. */
const DEFAULT_SEEN: Record<string, string> = { postgresql: 'postgres', mariadb: 'test', redis: 'PONG' };

for (const driver of ['postgresql', 'mariadb', 'redis'] as const) {
  test(`${driver}: every client the README names connects through the default and a per-test URL`, async (t) => {
    if (!(await requirePackageTools(t)) || !requireEngine(t, driver)) return;
    const project = await prepareProject('clients');
    const result = await run(process.execPath, ['connect.mjs', driver], {
      cwd: project.dir,
      env: cleanEnv(),
      timeout: 180_000,
    });
    const attempts = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Attempt);
    assert.ok(attempts.length >= 6, result.stdout);
    for (const a of attempts) {
      const label = `${a.client} (${a.which} URL): ${a.saw}`;
      assert.ok(a.ok, label);
      const expected =
        driver === 'redis' ? 'PONG' : a.which === 'default' ? DEFAULT_SEEN[driver] : a.expected;
      if (a.client !== 'prisma (format)' || a.which === 'per-test') assert.equal(a.saw, expected, label);
    }
  });
}
