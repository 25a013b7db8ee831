// The watcher's process title names its instance, so `ps` tells the watchers apart (and completion offers the id).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runCli, upCommand } from '../helpers/cli.js';
import { registerCleanup } from '../helpers/instance.js';
import { waitFor } from '../helpers/poll.js';
import { findProcesses } from '../helpers/proc.js';

// A process's command line as ps -o args shows it (NULs as spaces, trailing ones dropped).
function readCommandLine(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
}

test('process title: db-quick-watcher <id>, found by its title and offered by completion', async (t) => {
  const id = 'title-check-1';
  const r = await upCommand(id);
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(r.stdout) as { id: string; watcherPid: number };
  registerCleanup(t, () => info);
  // The title is set once the watcher has read its spec: by the time `up` returns, it has.
  await waitFor('the watcher title', () => readCommandLine(info.watcherPid) === `db-quick-watcher ${id}`);
  assert.ok(
    findProcesses('db-quick-watcher').includes(info.watcherPid),
    'found by the title tools search for',
  );
  const offers = await runCli(['--get-yargs-completions', 'quickdb-watcher', 'stop', 'title-check']);
  assert.deepEqual(offers.stdout.split('\n').filter(Boolean), [id]);
  const stopped = await runCli(['stop', id]);
  assert.equal(stopped.code, 0, stopped.stderr);
});
