// Port options through the library: checked once, before any driver runs or anything is created.
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
