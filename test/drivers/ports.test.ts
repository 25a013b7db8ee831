// Port options through the library: checked once, before any driver runs or anything is created; a port in use
// through the CLI: one line, nothing left.
import assert from 'node:assert/strict';
import { type AddressInfo, createServer } from 'node:net';
import { type TestContext, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { listStateEntries, stateRoot } from '../helpers/env.js';
import { expectRefused } from '../helpers/refused.js';

for (const readyPort of [0, 70000, 1.5, -1]) {
  test(`command driver: readyPort ${readyPort} is refused naming readyPort (0 is no free pick here)`, async (t) => {
    const error = await expectRefused(t, { driver: 'command', args: ['sleep', '60'], readyPort });
    assert.equal(error.option, 'readyPort');
    assert.equal(error.message, `readyPort: ${readyPort} is not valid: expected a port from 1 to 65535`);
  });
}

test('redis: a bad readyPort is refused too (checked before any driver runs)', async (t) => {
  const error = await expectRefused(t, { driver: 'redis', readyPort: 70000 });
  assert.equal(error.option, 'readyPort');
});

test('port 70000 is refused naming port, with 0 offered for a free one', async (t) => {
  const error = await expectRefused(t, { driver: 'redis', port: 70000 });
  assert.equal(error.option, 'port');
  assert.match(error.message, /expected a port from 1 to 65535, or 0 to pick a free one$/);
});

// A loopback listener of this process on a free port, closed after the test.
async function holdPort(t: TestContext): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

for (const driver of ['postgresql', 'mariadb', 'redis']) {
  test(`${driver}: a --port another process listens on fails in one line naming the port, its holder and --port 0`, async (t) => {
    const port = await holdPort(t);
    const result = await runCli(['up', driver, '--port', String(port), '--parent', 'none']);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      `quickdb-watcher: port ${port} on 127.0.0.1 is already in use (by pid ${process.pid}, node); ` +
        'use --port 0, or leave --port out, for a free port\n',
    );
    assert.deepEqual(listStateEntries(stateRoot()), [], 'nothing is left in the state root');
  });
}
