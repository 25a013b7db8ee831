// Escaping helpers: unit names match systemd-escape, plist strings survive a real plist parser, bad input is refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import fc from 'fast-check';
import plist from 'plist';
import {
  escapeUnitName,
  escapeXml,
  isXmlUnsafe,
  quoteEnvironment,
  quoteExecArgForUnit,
} from '../../dist/generate/escape.js';
import { unitNameFor } from '../../dist/generate/systemd.js';
import { requireOrSkip } from '../helpers/env.js';

const HAS_ESCAPE = spawnSync('systemd-escape', ['x']).status === 0;

test('escapeUnitName matches systemd-escape for random strings', (t) => {
  if (!requireOrSkip(t, HAS_ESCAPE, 'systemd-escape')) return;
  fc.assert(
    fc.property(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((s) => !s.includes('\0')),
      (text) => {
        const real = spawnSync('systemd-escape', ['--', text], { encoding: 'utf8' }).stdout.replace(
          /\n$/,
          '',
        );
        assert.equal(escapeUnitName(text), real);
      },
    ),
    { numRuns: 150 },
  );
  for (const text of ['.hidden', 'a-b', 'a/b', 'a\\b', 'ü', 'x y']) {
    const real = spawnSync('systemd-escape', ['--', text], { encoding: 'utf8' }).stdout.replace(/\n$/, '');
    assert.equal(escapeUnitName(text), real);
  }
});

test('unit names keep ids verbatim (ids are unit-name safe)', () => {
  assert.equal(unitNameFor('command-1a2b3c4d'), 'quickdb-command-1a2b3c4d.service');
  assert.equal(unitNameFor('a b'), 'quickdb-a\\x20b.service');
});

test('plist strings with characters a parser may read as line ends (CR, NEL, LINE SEPARATOR) round-trip', () => {
  for (const text of ['a\rb', 'a\u0085b', 'a\u2028b', '\r\n\u0085\u2028']) {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><string>${escapeXml(text)}</string></plist>`;
    assert.equal(plist.parse(xml), text, JSON.stringify(text));
  }
});

test('plist strings round-trip through a plist parser', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !isXmlUnsafe(s)),
      (text) => {
        const xml = `<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><string>${escapeXml(text)}</string></plist>`;
        assert.equal(plist.parse(xml), text);
      },
    ),
    { numRuns: 300 },
  );
});

test('characters that cannot be written are refused with the value repeated', () => {
  assert.throws(
    () => escapeXml('a\x01b'),
    /plist value: "a\\u0001b" is not valid: launchd plists cannot hold/,
  );
  assert.throws(() => quoteExecArgForUnit('a\0b'), /command argument: .* must not contain a NUL/);
  assert.throws(() => quoteEnvironment('1X', 'v', 'unit'), /environment name: "1X" is not valid/);
  assert.equal(quoteExecArgForUnit('50% of $HOME "x"'), '"50%% of $$HOME \\"x\\""');
  assert.equal(quoteExecArgForUnit(';'), '\\;');
});

test('no unit-file line ends in a backslash (it would continue onto the next line)', async () => {
  const { buildSystemdUnit, renderUnitSections } = await import('../../dist/generate/systemd.js');
  const unit = buildSystemdUnit({
    id: 'trailing',
    description: 'ends in \\',
    execStart: ['/bin/true', 'arg\\'],
    execStopPost: ['/bin/true'],
    workingDirectory: '/tmp/dir\\',
    logPath: '/tmp/dir\\/runner.log',
    timeoutStopMs: 1000,
    environment: { VALUE: 'x\\' },
  });
  const lines = renderUnitSections(unit).flatMap((s) => s.lines);
  assert.deepEqual(
    lines.filter((l) => l.endsWith('\\')),
    [],
  );
  assert.ok(lines.includes('WorkingDirectory=/tmp/dir\\/'));
});
