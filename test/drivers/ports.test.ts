// Port options through the library: checked once, before any driver runs or anything is created.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type StartOptions, startServer, UsageError } from '../../dist/index.js';
import { scratchDir } from '../helpers/env.js';

// Start with `extra` in a fresh state root; expect a UsageError and an untouched state root.
async function expectRefused(t: Parameters<typeof scratchDir>[0], extra: StartOptions): Promise<UsageError> {
  const stateRoot = join(scratchDir(t, 'ports-'), 'state');
  const error = await startServer({ stateRoot, parent: 'none', ...extra }).then(
    async (instance) => {
      await instance.eliminate();
      assert.fail('started');
    },
    (e: unknown) => e,
  );
  assert.ok(error instanceof UsageError, String(error));
  assert.ok(!existsSync(stateRoot) || readdirSync(stateRoot).length === 0, 'nothing is created');
  return error;
}

for (const readyPort of [0, 70000, 1.5, -1]) {
  test(`command driver: readyPort ${readyPort} is refused naming --ready-port (0 is no free pick here)`, async (t) => {
    const error = await expectRefused(t, { driver: 'command', args: ['sleep', '60'], readyPort });
    assert.equal(error.option, '--ready-port');
    assert.equal(error.message, `--ready-port: ${readyPort} is not valid: expected a port from 1 to 65535`);
  });
}

test('redis: a bad readyPort is refused too (checked before any driver runs)', async (t) => {
  const error = await expectRefused(t, { driver: 'redis', readyPort: 70000 });
  assert.equal(error.option, '--ready-port');
});

test('port 70000 is refused naming --port, with 0 offered for a free one', async (t) => {
  const error = await expectRefused(t, { driver: 'redis', port: 70000 });
  assert.equal(error.option, '--port');
  assert.match(error.message, /expected a port from 1 to 65535, or 0 to pick a free one$/);
});
