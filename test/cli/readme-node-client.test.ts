// The README's answer to "no psql here": its `node -e` line, run as printed with the env `up --format env` gives,
// prints what the README shows.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { requirePostgres, runCli, startCli } from '../drivers/db.js';
import { ROOT } from '../helpers/env.js';

const run = promisify(execFile);

test('README: the node-postgres line for machines without psql prints what the README says', async (t) => {
  if (!requirePostgres(t)) return;
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
  const at = lines.findIndex((l) => l.startsWith("$ node -e \"const c = new (require('pg').Client)()"));
  assert.ok(at > 0, 'the README shows the line');
  const info = await startCli(t, 'postgresql');
  const { stdout } = await run('sh', ['-c', (lines[at] as string).slice(2)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...info.env },
  });
  assert.equal(stdout.trim(), lines[at + 1]);
  assert.equal((await runCli(['stop', info.id])).code, 0);
});
