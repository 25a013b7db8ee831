// What the typed `url` promises at run time: every database driver sets one, also when it listens on its unix
// socket only (no port), and the instance's info, JSON and env agree; a command server has none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DatabaseDriverName } from '../../dist/index.js';
import { requireEngine, startLib } from './db.js';

const SCHEMES: Record<DatabaseDriverName, RegExp> = {
  postgresql: /^postgresql:\/\//,
  mariadb: /^mysql:\/\//,
  mysql: /^mysql:\/\//,
  redis: /^(unix|redis):\/\//,
};

for (const [driver, scheme] of Object.entries(SCHEMES) as [DatabaseDriverName, RegExp][]) {
  for (const port of [undefined, 0]) {
    test(`${driver}${port === undefined ? ' (unix socket only)' : ' (port 0)'}: url is always a string`, async (t) => {
      if (!requireEngine(t, driver)) return;
      const instance = await startLib(t, driver, port === undefined ? {} : { port });
      try {
        assert.equal(typeof instance.url, 'string');
        assert.match(instance.url as string, scheme);
        assert.equal(instance.info.url, instance.url);
        assert.equal(instance.toJSON().url, instance.url);
        assert.equal(instance.driver, driver);
      } finally {
        await instance.stop();
      }
    });
  }
}

test('command: no url', async (t) => {
  const instance = await startLib(t, 'command', { args: ['sleep', '600'] });
  try {
    assert.equal(instance.url, undefined);
    assert.equal('url' in instance.info, false);
  } finally {
    await instance.stop();
  }
});
