// `generate`: golden examples in units/, files written with --out run for real under a user manager, templates
// override file by file, and bad input is refused with exit 2.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import plist from 'plist';
import { renderExamples } from '../../dist/generate/examples.js';
import { CLI, FIXTURES, ROOT, scratchDir, stateRoot } from '../helpers/env.js';
import { registerCleanup } from '../helpers/instance.js';
import { scaleDeadline } from '../helpers/load.js';
import { waitFor } from '../helpers/poll.js';
import { waitGone } from '../helpers/proc.js';
import { showUnit, useUserManager } from '../helpers/systemd.js';

const need = useUserManager();

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...env, QUICKDB_WATCHER_STATE: stateRoot() },
    encoding: 'utf8',
    timeout: scaleDeadline(60_000),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SERVER = [
  '--ready-log',
  '^READY$',
  '--stop-grace',
  '400',
  '--',
  process.execPath,
  join(FIXTURES, 'server.mjs'),
  'polite',
];

// Forget the instance `generate` prepared (it was never started).
function cleanupGenerated(t: TestContext, id: string): void {
  registerCleanup(t, () => ({ stateDir: join(stateRoot(), id) }));
}

test('units/ holds exactly what the generator writes (run `npm run units` after changing it)', () => {
  const expected = renderExamples();
  assert.deepEqual(readdirSync(join(ROOT, 'units')).sort(), expected.map((f) => f.name).sort());
  for (const { name, content } of expected)
    assert.equal(readFileSync(join(ROOT, 'units', name), 'utf8'), content, name);
  const job = plist.parse(
    readFileSync(join(ROOT, 'units', 'dev.quickdb-watcher.command-example.plist'), 'utf8'),
  );
  assert.deepEqual((job as { ProgramArguments: string[] }).ProgramArguments.slice(-1), [
    '/run/user/1000/quickdb-watcher/command-example/spec.json',
  ]);
});

test('generate systemd --out writes a unit that verifies silently and runs by hand with link/start', async (t) => {
  const m = need(t);
  if (!m) return;
  const out = scratchDir(t, 'generated-');
  const gen = cli(['generate', 'systemd', 'command', '--id', 'gen-by-hand', '--out', out, ...SERVER], m.env);
  cleanupGenerated(t, 'gen-by-hand');
  assert.equal(gen.code, 0, gen.stderr);
  const unit = join(out, 'quickdb-gen-by-hand.service');
  assert.deepEqual(gen.stdout.trim().split('\n'), [unit, join(out, 'quickdb-gen-by-hand.spec.json')]);
  const verify = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
  assert.equal(`${verify.stdout}${verify.stderr}`, '');
  t.after(() =>
    spawnSync('systemctl', ['--user', 'disable', '--runtime', 'quickdb-gen-by-hand.service'], { env: m.env }),
  );
  execFileSync('systemctl', ['--user', 'link', '--runtime', unit], { env: m.env, stdio: 'ignore' });
  execFileSync('systemctl', ['--user', 'start', 'quickdb-gen-by-hand.service'], { env: m.env });
  const statusFile = join(stateRoot(), 'gen-by-hand', 'status.json');
  const status = await waitFor('the generated unit to be ready', () => {
    const s = existsSync(statusFile) && JSON.parse(readFileSync(statusFile, 'utf8'));
    return s && s.phase === 'ready' ? s : null;
  });
  const stop = cli(['stop', 'gen-by-hand'], m.env);
  assert.equal(stop.code, 0, stop.stderr);
  await waitGone(status.serverPid);
  assert.equal(existsSync(join(stateRoot(), 'gen-by-hand')), false);
  await waitFor(
    'the unit to go inactive',
    () => showUnit(m, 'quickdb-gen-by-hand.service', ['ActiveState']).ActiveState === 'inactive',
  );
});

test('generate prints the definition without --out; --templates overrides file by file', (t) => {
  const dir = scratchDir(t, 'templates-');
  writeFileSync(
    join(dir, 'systemd.service.ejs'),
    'CUSTOM <%= unit.name %>\n<% sections.forEach(function (s) { %>[<%= s.name %>]\n<% }) %>',
  );
  const custom = cli(['generate', 'systemd', 'command', '--id', 'gen-custom', '--templates', dir, ...SERVER]);
  cleanupGenerated(t, 'gen-custom');
  assert.equal(custom.code, 0, custom.stderr);
  assert.equal(custom.stdout, 'CUSTOM quickdb-gen-custom.service\n[Unit]\n[Service]\n');
  assert.match(custom.stderr, /gen-custom: it runs .*gen-custom\/spec\.json/);
  const builtin = cli(['generate', 'launchd', 'command', '--id', 'gen-plist', '--templates', dir, ...SERVER]);
  cleanupGenerated(t, 'gen-plist');
  assert.equal(builtin.code, 0, builtin.stderr);
  const job = plist.parse(builtin.stdout) as Record<string, unknown>;
  assert.equal(job.Label, 'dev.quickdb-watcher.gen-plist');
  const run = cli(['generate', 'systemd-run', 'command', '--id', 'gen-run', ...SERVER]);
  cleanupGenerated(t, 'gen-run');
  assert.match(
    run.stdout,
    /^#!\/bin\/sh\n[\s\S]*exec systemd-run \\\n {2}--user \\\n {2}--unit=quickdb-gen-run\.service/,
  );
});

test('generate refuses bad input with exit 2, naming the option and leaving nothing', () => {
  const target = cli(['generate', 'upstart', 'command', ...SERVER]);
  assert.equal(target.code, 2);
  assert.match(target.stderr, /upstart/);
  assert.match(target.stderr, /expected systemd, systemd-run or launchd/);
  const templates = cli([
    'generate',
    'systemd',
    'command',
    '--id',
    'gen-bad',
    '--templates',
    '/nonexistent/dir',
    ...SERVER,
  ]);
  assert.equal(templates.code, 2);
  assert.match(
    templates.stderr,
    /--templates: "\/nonexistent\/dir" is not valid: expected an existing directory/,
  );
  assert.equal(existsSync(join(stateRoot(), 'gen-bad')), false);
});
