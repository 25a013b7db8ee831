// Holding the lifeline: a watcher that closes it without answering (stopped by a signal just after ready) fails the
// hold at once, with that reason, not after the deadline meant for a hung watcher.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { holdLifeline } from '../../dist/launch/lifeline.js';
import { scratchDir } from '../helpers/env.js';

test('a lifeline closed without an answer fails the hold at once, saying so', async (t) => {
  const path = join(scratchDir(t), 'lifeline.sock');
  const server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.after(() => server.close());
  const started = Date.now();
  await assert.rejects(holdLifeline(path, 60_000), (error: Error) => {
    assert.match(error.message, /cannot hold the lifeline/);
    assert.match(String((error.cause as Error)?.message), /closed it without an answer/);
    return true;
  });
  assert.ok(Date.now() - started < 30_000, 'it did not wait for the deadline');
});

test('an answered lifeline is held', async (t) => {
  const path = join(scratchDir(t), 'lifeline.sock');
  const server = createServer((socket) => socket.once('data', () => socket.write('held\n')));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.after(() => server.close());
  const socket = await holdLifeline(path);
  socket.destroy();
});
