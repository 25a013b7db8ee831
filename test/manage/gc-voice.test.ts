// gc speaks in its own words: finishing a dead instance during another `up` puts none of that instance's watcher
// log lines on the user's stderr; they go to the dead instance's own runner log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { isRunning } from '../helpers/proc.js';

const server = ['--', process.execPath, `${FIXTURES}/server.mjs`, 'polite'];

test("the quick gc of `up` prints no other instance's watcher lines", async (t) => {
  const dead = `gc-voice-dead-${process.pid}`;
  const live = `gc-voice-live-${process.pid}`;
  t.after(async () => {
    await runCli(['stop', live]);
    await runCli(['stop', dead]);
    await runCli(['gc']);
  });
  const first = await runCli([
    'up',
    'command',
    '--id',
    dead,
    '--parent',
    'none',
    '--format',
    'json',
    ...server,
  ]);
  assert.equal(first.code, 0, first.stderr);
  const watcher = JSON.parse(first.stdout).watcherPid as number;
  process.kill(watcher, 'SIGKILL');
  await waitFor(`watcher ${watcher} not running`, () => !isRunning(watcher));
  const second = await runCli([
    'up',
    'command',
    '--id',
    live,
    '--parent',
    'none',
    '--format',
    'json',
    ...server,
  ]);
  assert.equal(second.code, 0, second.stderr);
  assert.doesNotMatch(second.stderr, /db-quick-watcher\[\d+\]/, 'no watcher log line reaches the user');
  assert.doesNotMatch(second.stderr, new RegExp(dead), 'nothing about the other instance');
  const list = await runCli(['list', '--json']);
  assert.doesNotMatch(list.stdout, new RegExp(`"${dead}"`), 'the dead instance was finished by the quick gc');
});
