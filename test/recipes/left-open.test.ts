// A test that leaves a client connected (issue 23): its database is not force-dropped under the client (which would
// throw "terminating connection due to administrator command" as an uncaught error in the next test); one warning
// names the connection and the fix, and the server's end removes the database.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, listStateEntries } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { requireRecipe } from './recipe.js';
import { runVitest } from './vitest-run.js';

test('vitest: a client left open gets a warning naming it, no uncaught error; the next test passes', async (t) => {
  if (!requireRecipe(t, 'vitest')) return;
  const { code, out, stateRoot } = await runVitest(t, join(FIXTURES, 'left-open'));
  assert.doesNotMatch(out, /Unhandled Error|Uncaught Exception|error: terminating connection/, out);
  assert.equal(code, 0, out);
  assert.match(out, /Tests {2}2 passed \(2\)/, out);
  assert.match(out, /left 1 connection open to its database qdw_\w+/, out);
  assert.match(out, /session \d+ from 127\.0\.0\.1:\d+, application "left-open-test"/, out);
  assert.match(out, /last query "SELECT 1 AS forgotten"/, out);
  assert.match(out, /await client\.end\(\)/, out);
  await waitFor('the run to leave nothing', () => listStateEntries(stateRoot).length === 0, 30_000);
});
