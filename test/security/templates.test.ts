// Template injection: hostile ids, state paths and runner paths rendered into a launchd plist come back exactly
// through a plist parser (argv, label, paths), and the unit name stays one inert name.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import plist from 'plist';
import { renderDefinition } from '../../dist/generate/definition.js';
import { unitNameFor } from '../../dist/generate/systemd.js';
import type { Spec } from '../../dist/state/records/spec.js';

const hostile = fc.constantFrom(
  '<',
  '>',
  '&',
  '"',
  "'",
  ']]>',
  '-->',
  '<!--',
  '&amp;',
  '<string>x</string>',
  ' ',
  '$HOME',
  '%h',
  '\\',
  '😀',
  'é',
  '--',
  ';',
);
const piece = fc
  .array(fc.oneof(hostile, fc.string({ minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 5 })
  .map((a) => a.join('').replaceAll('/', '_'));
const safe = (s: string): boolean =>
  ![...s].some((c) => (c.codePointAt(0) ?? 0) < 0x20 || c === '\u007f' || c === '\ufffe' || c === '\uffff') &&
  !/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
const path = piece.filter(safe).map((p) => `/tmp/${p}`);
const id = fc
  .stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/)
  .map((s) => s.replace(/^(.)/, '$1--'.slice(0, 3)).slice(0, 63));

// A spec for an id and state root (only the fields the launchd plan reads matter).
function buildSpec(instanceId: string, stateRoot: string): Spec {
  const stateDir = join(stateRoot, instanceId);
  return {
    version: 1,
    id: instanceId,
    driver: 'command',
    backend: 'launchd',
    stateRoot,
    stateDir,
    dataDir: join(stateDir, 'data'),
    dataDirReal: join(stateDir, 'data'),
    cleanup: true,
    server: { argv: ['sleep'], cwd: '/', env: {}, stopSignal: 'SIGTERM', fastStopSignal: 'SIGKILL' },
    ready: { kind: 'none' },
    readyTimeoutMs: 1000,
    stopGraceMs: 1000,
    fastGraceMs: 1000,
    pollMs: 50,
    parent: null,
  };
}

test('launchd plist: hostile ids and paths round-trip exactly through a plist parser', () => {
  fc.assert(
    fc.property(id, path, path, path, (instanceId, stateRoot, nodePath, watcherPath) => {
      const spec = buildSpec(instanceId, stateRoot);
      const specPath = join(spec.stateDir, 'spec.json');
      const def = renderDefinition('launchd', spec, { specPath, nodePath, watcherPath });
      const parsed = plist.parse(def.content) as Record<string, unknown>;
      assert.equal(parsed.Label, `dev.quickdb-watcher.${instanceId}`);
      const args = parsed.ProgramArguments as string[];
      assert.equal(args[0], nodePath);
      assert.ok(args.includes(watcherPath), JSON.stringify(args));
      assert.equal(args.at(-1), specPath);
      assert.equal(parsed.WorkingDirectory, spec.stateDir);
      assert.equal(parsed.StandardOutPath, join(spec.stateDir, 'runner.log'));
      assert.equal(parsed.KeepAlive, false);
    }),
    { numRuns: 200 },
  );
});

test('unit names from any valid id are a single inert systemd name', () => {
  fc.assert(
    fc.property(id, (instanceId) => {
      const name = unitNameFor(instanceId);
      assert.match(name, /^quickdb-[A-Za-z0-9_.:\\-]+\.service$/);
      assert.ok(!/[\s/%$;]/.test(name), name);
    }),
    { numRuns: 200 },
  );
});
