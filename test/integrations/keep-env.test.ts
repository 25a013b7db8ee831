// QUICKDB_KEEP_FAILED is input: a value other than 1/0 (true/false) is refused before any server starts, naming it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../dist/index.js';
import { startRunnerServers } from '../../dist/integrations/servers.js';
import { listStateEntries, stateRoot } from '../helpers/env.js';

test('QUICKDB_KEEP_FAILED=maybe: a UsageError naming it and repeating the value; nothing starts', async (t) => {
  const before = process.env.QUICKDB_KEEP_FAILED;
  t.after(() => {
    if (before === undefined) delete process.env.QUICKDB_KEEP_FAILED;
    else process.env.QUICKDB_KEEP_FAILED = before;
  });
  process.env.QUICKDB_KEEP_FAILED = 'maybe';
  const root = stateRoot();
  await assert.rejects(startRunnerServers({ stateRoot: root }, 1), (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.equal(e.option, 'QUICKDB_KEEP_FAILED');
    assert.match(e.message, /"maybe".*expected 1 .* or 0/);
    return true;
  });
  assert.deepEqual(listStateEntries(root), []);
});
