// A relative `migrate` in a vitest config starts at vitest's root (issue 23): `vitest run --root DIR` started from
// another dir migrates from DIR/migrations, as every other path in that config resolves.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, listStateEntries } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { requireRecipe } from './recipe.js';
import { runVitest } from './vitest-run.js';

test('vitest --root from another cwd: the relative migrate dir is found under the root', async (t) => {
  if (!requireRecipe(t, 'vitest')) return;
  const root = join(FIXTURES, 'keep-failed', 'vitest');
  // From a scratch dir, not the project: a path resolved against the cwd would miss ./migrations.
  const { code, out, stateRoot } = await runVitest(t, null, ['--root', root], { QUICKDB_KEEP_FAILED: '0' });
  // The fixture's one test writes a row into the migrated table, then fails on purpose.
  assert.equal(code, 1, out);
  assert.match(out, /expected 'the test' to be 'failed on purpose'/, out);
  assert.doesNotMatch(out, /UsageError|migrate: "migrations" is not valid/, out);
  await waitFor('the run to leave nothing', () => listStateEntries(stateRoot).length === 0, 30_000);
});
