// The line that says how to open a kept PostgreSQL database names psql only where psql is installed (the embedded
// and fetched binaries carry none); elsewhere it says to use any client at the URL, and how to get psql.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { announceKept } from '../../dist/start/databases/keep-failed.js';
import { scratchDir } from '../helpers/env.js';

const URL = 'postgresql://postgres:pw@127.0.0.1:5432/test_1';

// announceKept with PATH = `path` (and keeping forced on, as locally).
function announceWith(stateDir: string, path: string): string {
  const saved = { PATH: process.env.PATH, QUICKDB_KEEP_FAILED: process.env.QUICKDB_KEEP_FAILED };
  Object.assign(process.env, { PATH: path, QUICKDB_KEEP_FAILED: '1' });
  try {
    return announceKept({ stateDir, driver: 'postgresql', heir: process.pid }, 'pg-1', 'test_1', URL);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

test('a kept database: "open it: psql URL" with psql on PATH, any client at the URL without it', (t) => {
  const scratch = scratchDir(t, 'keep-hint-');
  const withPsql = join(scratch, 'with');
  const without = join(scratch, 'without');
  mkdirSync(withPsql);
  mkdirSync(without);
  symlinkSync('/bin/true', join(withPsql, 'psql'));
  const stateA = join(scratch, 'a');
  const stateB = join(scratch, 'b');
  mkdirSync(stateA, { mode: 0o700 });
  mkdirSync(stateB, { mode: 0o700 });
  assert.match(announceWith(stateA, withPsql), new RegExp(`open it: psql '${URL}'`));
  const said = announceWith(stateB, without);
  assert.doesNotMatch(said, /psql '/);
  assert.match(
    said,
    /open it with any PostgreSQL client at that URL \(psql is not on PATH: apt-get install postgresql-client\)/,
  );
});
