// Property: a spec.json with any one invalid field makes the runner exit 2 naming the field; nothing starts, nothing is deleted.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import fc from 'fast-check';
import { validateSpec } from '../../dist/state/records/spec-validate.js';
import { RUNNER_ARGV, writeSpec } from '../helpers/spec.js';

type Mutation = [field: string, set: (spec: Record<string, unknown>, bad: unknown) => void];
const top = (key: string): Mutation => [
  key,
  (s, v) => {
    s[key] = v;
  },
];
const inServer = (key: string): Mutation => [
  `server.${key}`,
  (s, v) => {
    (s.server as Record<string, unknown>)[key] = v;
  },
];

const MUTATIONS: [Mutation, fc.Arbitrary<unknown>][] = [
  [top('version'), fc.oneof(fc.constant(2), fc.constant('1'), fc.constant(null))],
  [top('id'), fc.constantFrom('', '../x', 'a/b', '-lead', 'a b', 'x'.repeat(64), '$(id)', 'é')],
  [top('cleanup'), fc.oneof(fc.constant('yes'), fc.constant(1), fc.constant(null))],
  [top('stateDir'), fc.constantFrom('', 'relative/dir', 42)],
  [top('dataDir'), fc.constantFrom('', 'data', null)],
  [top('dataDirReal'), fc.constantFrom('', './data')],
  [
    top('stopGraceMs'),
    fc.oneof(fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 9.9, noNaN: true }), fc.constant('10')),
  ],
  [top('fastGraceMs'), fc.oneof(fc.integer({ min: 86_400_001 }), fc.constant(Number.NaN))],
  [top('readyTimeoutMs'), fc.constantFrom(-5, 'soon', null)],
  [inServer('argv'), fc.constantFrom([], [''], 'sleep 1', [1, 2], null)],
  [inServer('cwd'), fc.constantFrom('', 'rel', 7)],
  [inServer('stopSignal'), fc.constantFrom('SIGNOPE', '', 'TERM; rm -rf /', 99)],
  [inServer('fastStopSignal'), fc.constantFrom('KILLALL', null)],
  [inServer('uid'), fc.constantFrom(-1, 1.5, 'root')],
  // The server's record of its SysV segment, read inside the data dir: never outside it, never a dir's own name.
  [
    inServer('shmRecord'),
    fc.constantFrom('', '/etc/passwd', '../x', 'a/../../b', './p', 'a//b', 'a/', 7, null),
  ],
  [
    [
      'ready.kind',
      (s, v) => {
        s.ready = { kind: v };
      },
    ],
    fc.constantFrom('tcp', '', null),
  ],
  [
    [
      'ready.pattern',
      (s, v) => {
        s.ready = { kind: 'log', pattern: v };
      },
    ],
    fc.constantFrom('(', '[z-a]', ''),
  ],
  [
    [
      'ready.port',
      (s, v) => {
        s.ready = { kind: 'port', port: v };
      },
    ],
    fc.constantFrom(0, 70_000, '80', -1),
  ],
  [
    [
      'parent.pid',
      (s, v) => {
        s.parent = { pid: v };
      },
    ],
    fc.constantFrom(0, -1, 'me', 1.5),
  ],
];

function runRunner(path: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [...RUNNER_ARGV, path], (error, _out, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stderr }),
    ),
  );
}

// Write a spec with one field spoiled; returns what to check afterwards.
function spoilSpec(t: TestContext, [field, set]: Mutation, bad: unknown) {
  const { spec, path, trace } = writeSpec(t);
  t.after(() => rmSync(spec.stateDir, { recursive: true, force: true }));
  const raw = JSON.parse(readFileSync(path, 'utf8'));
  set(raw, bad);
  writeFileSync(path, JSON.stringify(raw));
  return { spec, path, trace, field };
}

test('validateSpec names the spoiled field for every invalid value', () => {
  for (const [[field, set], values] of MUTATIONS) {
    fc.assert(
      fc.property(values, (bad) => {
        const raw = {
          version: 1,
          id: 'x',
          driver: 'command',
          backend: 'detached',
          stateRoot: '/s',
          stateDir: '/s/x',
          dataDir: '/d',
          dataDirReal: '/d',
          cleanup: true,
          server: { argv: ['sleep'], cwd: '/', env: {}, stopSignal: 'SIGTERM', fastStopSignal: 'SIGKILL' },
          ready: { kind: 'none' },
          readyTimeoutMs: 1,
          stopGraceMs: 1,
          fastGraceMs: 1,
          pollMs: 50,
          parent: null,
        } as Record<string, unknown>;
        set(raw, bad);
        assert.throws(
          () => validateSpec(raw),
          (e: Error) => e.message.includes(`"${field}"`),
          `${field}=${JSON.stringify(bad)}`,
        );
      }),
      { numRuns: 10 },
    );
  }
});

test('the runner given a spoiled spec exits 2 naming the field; no server, the data dir and marker survive', async (t) => {
  for (const [mutation, values] of MUTATIONS) {
    const [bad] = fc.sample(values, { numRuns: 1 });
    const { spec, path, trace, field } = spoilSpec(t, mutation, bad);
    const r = await runRunner(path);
    assert.equal(r.code, 2, `${field}=${JSON.stringify(bad)}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`bad spec: spec field "${field.replace('.', '\\.')}"`), r.stderr);
    assert.equal(existsSync(trace), false, 'the server never started');
    assert.equal(readFileSync(join(spec.dataDir, '.quickdb-watcher'), 'utf8').trim(), spec.id);
  }
});
