// `--version` answers are cached by the binary's identity: asked once across processes, asked again when it changes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { probeSystemdUser } from '../../dist/backends/systemd.js';
import { ROOT, scratchDir } from '../helpers/env.js';

const MODULE = join(ROOT, 'dist', 'state', 'process', 'tool-version.js');

// Ask for the version in a fresh process (so only the on-disk cache can spare the exec).
function askInNewProcess(binary: string, cache: string): string {
  const script = `import(${JSON.stringify(MODULE)}).then((m) => process.stdout.write(m.readVersionLine(${JSON.stringify(binary)})))`;
  return execFileSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, QUICKDB_WATCHER_CACHE: cache },
  });
}

// A fake server binary that counts its runs in a file and prints a version line.
function makeCountingBinary(dir: string, version: string): { binary: string; runs: () => number } {
  const binary = join(dir, 'fake-server');
  const counter = join(dir, 'runs');
  writeFileSync(counter, '');
  writeFileSync(binary, `#!/bin/sh\necho x >> ${counter}\necho "fake-server ${version}"\n`, { mode: 0o755 });
  return { binary, runs: () => readFileSync(counter, 'utf8').split('\n').filter(Boolean).length };
}

test('a binary is asked for its version once across processes, and again once it changes', (t) => {
  const dir = scratchDir(t);
  const cache = join(dir, 'cache');
  const fake = makeCountingBinary(dir, '1.0');
  assert.equal(askInNewProcess(fake.binary, cache), 'fake-server 1.0');
  assert.equal(askInNewProcess(fake.binary, cache), 'fake-server 1.0');
  assert.equal(fake.runs(), 1, 'the second process read the cache');
  writeFileSync(fake.binary, readFileSync(fake.binary, 'utf8').replace('1.0', '2.0'));
  const later = new Date(Date.now() + 5000);
  utimesSync(fake.binary, later, later);
  assert.equal(askInNewProcess(fake.binary, cache), 'fake-server 2.0');
  assert.equal(fake.runs(), 2);
});

test('a cache file that is garbage, a symlink, or holds control characters is ignored and replaced', (t) => {
  const dir = scratchDir(t);
  const cache = join(dir, 'cache');
  const fake = makeCountingBinary(dir, '3.1');
  askInNewProcess(fake.binary, cache);
  const file = join(cache, 'versions.json');
  const key = Object.keys(JSON.parse(readFileSync(file, 'utf8')))[0] as string;
  writeFileSync(file, JSON.stringify({ [key]: 'fake-server 9.9\u001b[2J' }));
  assert.equal(askInNewProcess(fake.binary, cache), 'fake-server 3.1');
  writeFileSync(file, '{not json');
  assert.equal(askInNewProcess(fake.binary, cache), 'fake-server 3.1');
  const decoy = join(dir, 'decoy.json');
  writeFileSync(decoy, JSON.stringify({ [key]: 'fake-server 6.6' }));
  rmSync(file);
  symlinkSync(decoy, file);
  assert.equal(askInNewProcess(fake.binary, cache), 'fake-server 3.1');
  assert.equal(fake.runs(), 4, 'every refused cache meant a real run');
  assert.equal(
    JSON.parse(readFileSync(decoy, 'utf8'))[key],
    'fake-server 6.6',
    'the link target is not written',
  );
});

test('without XDG_RUNTIME_DIR or DBUS_SESSION_BUS_ADDRESS the systemd probe answers at once, saying why', async () => {
  const probe = await probeSystemdUser({ PATH: process.env.PATH });
  assert.deepEqual(probe, {
    ok: false,
    why: 'no systemd user manager reachable (neither XDG_RUNTIME_DIR nor DBUS_SESSION_BUS_ADDRESS is set)',
  });
});
