// Property: random argv, paths and environment values rendered as a unit file and as systemd-run both reach the
// program exactly, under a real user manager; every rendered unit passes `systemd-analyze verify` silently.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { hasControlChar } from '../../dist/generate/escape.js';
import { renderUnitFile } from '../../dist/generate/render.js';
import { buildSystemdRunArgs, buildSystemdUnit, type SystemdPlan } from '../../dist/generate/systemd.js';
import { FIXTURES, scratchDir } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { listQuickdbUnits, useUserManager } from '../helpers/systemd.js';

const need = useUserManager();

const tricky = fc.constantFrom(
  ' ',
  '"',
  "'",
  '\\',
  '%',
  '$',
  '\n',
  '\t',
  ';',
  '{',
  '}',
  'é',
  '漢',
  '😀',
  '=',
  '%h',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${HOME} that systemd must not expand
  '${HOME}',
  '$HOME',
  '\\n',
  '\\x41',
  '$$',
  '%%',
  '-',
  '@',
  '+',
  '!',
  '&',
  '<',
  '*',
  '#',
);
const text = fc
  .array(fc.oneof(tricky, fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 6 })
  .map((parts) => parts.join('').replaceAll('\0', ''));
// A path component: no "/", no control characters, no surrounding spaces (a unit cannot carry those).
const component = text
  .map((s) =>
    [...s]
      .map((ch) => (ch === '/' || hasControlChar(ch) ? '_' : ch))
      .join('')
      .trim(),
  )
  .map((s) => (s === '' || s === '.' || s === '..' ? 'x' : s));

interface Case {
  args: string[];
  dir: string;
  value: string;
}
const cases = fc.record({ args: fc.array(text, { maxLength: 5 }), dir: component, value: text });

let counter = 0;
// Lay out one case: a weird dir holding a copy of the fixture, and the plan that runs it.
function planCase(base: string, c: Case): { plan: SystemdPlan; out: string } {
  const dir = join(base, `${counter}-${c.dir}`);
  mkdirSync(dir, { recursive: true });
  // Node cannot load an ES module entry whose path holds "\\" (ERR_INVALID_MODULE_SPECIFIER): not systemd's doing.
  const programDir = join(base, `${counter}-prog-${c.dir.replaceAll('\\', '_')}`);
  mkdirSync(programDir, { recursive: true });
  const program = join(programDir, 'argv fixture.mjs');
  copyFileSync(join(FIXTURES, 'argv.mjs'), program);
  const out = join(base, `out-${counter}.json`);
  const id = `prop-${counter++}`;
  return {
    out,
    plan: {
      id,
      description: `property case ${id} ${c.dir}`,
      execStart: [process.execPath, program, 'main', ...c.args],
      execStopPost: [process.execPath, program, 'post', ...c.args],
      workingDirectory: dir,
      logPath: join(dir, 'runner.log'),
      timeoutStopMs: 5000,
      environment: { QDW_ARGV_OUT: out, QDW_VALUE: c.value },
    },
  };
}

// Wait for the fixture's report of the main and post-stop runs, and check both got exactly the strings.
async function checkReceived(c: Case, plan: SystemdPlan, out: string): Promise<void> {
  for (const [file, first] of [
    [out, 'main'],
    [`${out}.post`, 'post'],
  ] as const) {
    const got = await waitFor(
      `the fixture's ${first} report`,
      () => existsSync(file) && JSON.parse(readFileSync(file, 'utf8')),
      10_000,
    );
    assert.deepEqual(got, { argv: [first, ...c.args], value: c.value, cwd: plan.workingDirectory });
  }
}

test('property: a rendered unit file delivers argv, environment and paths exactly, and verifies silently', async (t) => {
  const m = need(t);
  if (!m) return;
  const base = scratchDir(t, 'prop-unit-');
  const unitDir = join(m.runtimeDir, 'systemd', 'user');
  mkdirSync(unitDir, { recursive: true });
  await fc.assert(
    fc.asyncProperty(cases, async (c) => {
      const { plan, out } = planCase(base, c);
      const unit = buildSystemdUnit(plan);
      const file = join(unitDir, unit.name);
      writeFileSync(file, renderUnitFile(unit));
      try {
        const verify = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
        assert.equal(
          `${verify.stdout}${verify.stderr}`,
          '',
          `systemd-analyze verify on\n${readFileSync(file, 'utf8')}`,
        );
        execFileSync('systemctl', ['--user', 'daemon-reload'], { env: m.env });
        execFileSync('systemctl', ['--user', 'start', unit.name], { env: m.env });
        await checkReceived(c, plan, out);
        await waitFor(
          'the unit to finish',
          () => !listQuickdbUnits(m).some((u) => u === unit.name && u),
          10_000,
        ).catch(() => true);
      } finally {
        rmSync(file, { force: true });
        spawnSync('systemctl', ['--user', 'stop', unit.name], { env: m.env });
        spawnSync('systemctl', ['--user', 'reset-failed', unit.name], { env: m.env });
        execFileSync('systemctl', ['--user', 'daemon-reload'], { env: m.env });
      }
    }),
    { numRuns: 15 },
  );
  assert.deepEqual(listQuickdbUnits(m), []);
});

test('property: the systemd-run argv from the same properties delivers the same strings', async (t) => {
  const m = need(t);
  if (!m) return;
  const base = scratchDir(t, 'prop-run-');
  await fc.assert(
    fc.asyncProperty(cases, async (c) => {
      const { plan, out } = planCase(base, c);
      const unit = buildSystemdUnit(plan);
      const run = spawnSync('systemd-run', buildSystemdRunArgs(unit), { env: m.env, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      await checkReceived(c, plan, out);
      await waitFor(
        'the transient unit to be collected',
        () => !listQuickdbUnits(m).includes(unit.name),
        10_000,
      );
    }),
    // A lone `;` (a command separator to systemd) is always tried: a random run once found systemd-run refusing `\;`.
    { numRuns: 15, examples: [[{ args: [';', 'a;b'], dir: 'x', value: '' }]] },
  );
  assert.deepEqual(listQuickdbUnits(m), []);
});
