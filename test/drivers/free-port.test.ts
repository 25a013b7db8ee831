// `--port 0` picks a free port below the kernel's ephemeral range: a port the kernel chose and we released is the kind
// it hands the next outgoing connection or listen(0) of any process, which took it before our server bound it when
// many launches ran at once ("could not bind IPv4 address: Address already in use").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readEphemeralStart } from '../../dist/drivers/free-port.js';
import { resolvePort } from '../../dist/drivers/network.js';

test('port 0: every pick is free and below the ephemeral range, never one the kernel could hand out itself', async () => {
  const start = readEphemeralStart();
  const picks = new Set<number>();
  for (let i = 0; i < 40; i++) {
    const port = await resolvePort(0);
    assert.ok(port !== undefined && port >= 10_000 && port < start, `port ${port} is in [10000, ${start})`);
    picks.add(port);
  }
  assert.ok(picks.size > 30, `random picks, not one port again and again (${picks.size} distinct of 40)`);
});
