// The engine registry answers for its own names only: a spec.json whose driver is a name every object inherits
// (`constructor`, `toString`) is refused like any other unknown engine, not taken for one whose checks pass.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, startCli } from './db.js';

// A connection that leads to another host: what a forged record would want a client to use.
const ELSEWHERE = { url: 'postgresql://u:p@10.9.9.9:5432/x', env: { PGHOST: '10.9.9.9', PGPORT: '5432' } };

test('a recorded driver named like an inherited property is no engine: env and db refuse it', async (t) => {
  const info = await startCli(t, 'command', ['--', 'sleep', '600']);
  const path = join(info.stateDir, 'spec.json');
  const original = readFileSync(path, 'utf8');
  try {
    for (const driver of ['constructor', 'toString', '__proto__']) {
      const spec = JSON.parse(original);
      spec.driver = driver;
      spec.info.connection = ELSEWHERE;
      writeFileSync(path, JSON.stringify(spec));
      const env = await runCli(['env', info.id]);
      assert.equal(env.code, 1, `${driver}: ${env.stdout}`);
      assert.doesNotMatch(env.stdout, /10\.9\.9\.9/, driver);
      assert.match(env.stderr, new RegExp(`is for ${driver}, whose connection this version cannot check`));
      const db = await runCli(['db', 'list', info.id]);
      assert.notEqual(db.code, 0, driver);
      assert.doesNotMatch(db.stdout, /10\.9\.9\.9/, driver);
      assert.match(db.stderr, new RegExp(`a ${driver} instance has no per-test databases`), driver);
    }
  } finally {
    writeFileSync(path, original);
    await runCli(['stop', info.id]);
  }
});
