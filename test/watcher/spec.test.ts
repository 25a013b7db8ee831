// Bad specs: the runner exits 2 naming the field, and starts nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { Spec } from '../../dist/state/records/spec.js';
import { readTrace } from '../helpers/instance.js';
import { RUNNER_ARGV, writeSpec } from '../helpers/spec.js';

const run = promisify(execFile);

const cases: [string, (s: Spec) => unknown, RegExp][] = [
  ['version', (s) => ({ ...s, version: 2 }), /spec field "version": expected 1, got 2/],
  ['id', (s) => ({ ...s, id: '../etc' }), /spec field "id": expected letters/],
  [
    'dataDir',
    (s) => ({ ...s, dataDir: 'relative/dir' }),
    /spec field "dataDir": expected an absolute path, got "relative\/dir"/,
  ],
  [
    'server.argv',
    (s) => ({ ...s, server: { ...s.server, argv: [] } }),
    /spec field "server.argv": expected a non-empty list/,
  ],
  [
    'server.stopSignal',
    (s) => ({ ...s, server: { ...s.server, stopSignal: 'SIGNOPE' } }),
    /"server.stopSignal": expected a signal name such as SIGTERM, got "SIGNOPE"/,
  ],
  [
    'stopGraceMs',
    (s) => ({ ...s, stopGraceMs: -5 }),
    /spec field "stopGraceMs": expected whole milliseconds from 0 to 86400000, got -5/,
  ],
  [
    'ready.kind',
    (s) => ({ ...s, ready: { kind: 'telepathy' } }),
    /spec field "ready.kind": expected none, file, port or log, got "telepathy"/,
  ],
  [
    'ready.pattern',
    (s) => ({ ...s, ready: { kind: 'log', pattern: '(' } }),
    /spec field "ready.pattern": not a valid regular expression/,
  ],
  [
    'parent.pid',
    (s) => ({ ...s, parent: { pid: 'me' } }),
    /spec field "parent.pid": expected a pid, got "me"/,
  ],
  ['cleanup', (s) => ({ ...s, cleanup: 'yes' }), /spec field "cleanup": expected true or false/],
];

for (const [field, mutate, message] of cases) {
  test(`bad spec field ${field}: exit 2, named, nothing started`, async (t) => {
    const { spec, path, trace } = writeSpec(t);
    t.after(() => rmSync(spec.stateDir, { recursive: true, force: true }));
    writeFileSync(path, JSON.stringify(mutate(spec)));
    const error = await run(process.execPath, [...RUNNER_ARGV, path]).then(
      () => null,
      (e) => e,
    );
    assert.equal(error?.code, 2);
    assert.match(error.stderr, message);
    assert.deepEqual(readTrace(trace), []);
  });
}

test('unreadable or missing spec: exit 2 saying why', async (t) => {
  const { spec, path } = writeSpec(t);
  t.after(() => rmSync(spec.stateDir, { recursive: true, force: true }));
  writeFileSync(path, '{ not json');
  const bad = await run(process.execPath, [...RUNNER_ARGV, path]).then(
    () => null,
    (e) => e,
  );
  assert.equal(bad?.code, 2);
  assert.match(bad.stderr, /bad spec: spec field "\(file\)": cannot read .*spec.json/);
  const none = await run(process.execPath, [...RUNNER_ARGV]).then(
    () => null,
    (e) => e,
  );
  assert.equal(none?.code, 2);
  assert.match(none.stderr, /usage: db-quick-watcher <spec.json>/);
});
