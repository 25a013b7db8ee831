// Permissions: state owner-only (no group/other read or write), files and the lifeline socket 0600, another user locked out.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { requireOrSkip, stateRoot, testBase } from '../helpers/env.js';
import { startFixture } from '../helpers/instance.js';
import { scaleDeadline } from '../helpers/load.js';

const NOBODY = 65_534;

// Run a snippet of node as `nobody`; returns its stdout.
function runAsNobody(code: string, arg: string): string {
  const r = spawnSync(process.execPath, ['-e', code, arg], {
    uid: NOBODY,
    gid: NOBODY,
    encoding: 'utf8',
    timeout: scaleDeadline(10_000),
  });
  return `${r.stdout}${r.stderr}`.trim();
}

const mode = (path: string): number => lstatSync(path).mode & 0o777;

test('state root and instance dir: no group/other read or write; files and the socket are 0600', async (t) => {
  const { info } = await startFixture(t, { child: true });
  for (const dir of [stateRoot(), info.stateDir, info.dataDir]) {
    assert.equal(mode(dir) & 0o066, 0, `${dir} is ${mode(dir).toString(8)}`);
    assert.equal(mode(dir) & 0o700, 0o700, `${dir} is ${mode(dir).toString(8)}`);
  }
  const files = readdirSync(info.stateDir).filter((f) => f !== 'data');
  for (const f of ['spec.json', 'status.json', 'runner.log', 'server.log', 'lifeline.sock'])
    assert.ok(files.includes(f), `${f} in ${files}`);
  for (const f of files)
    assert.equal(mode(join(info.stateDir, f)), 0o600, `${f} is ${mode(join(info.stateDir, f)).toString(8)}`);
  assert.equal(mode(join(info.dataDir, '.quickdb-watcher')) & 0o066, 0);
});

test('another user cannot read the spec or status, nor connect to the lifeline', async (t) => {
  if (!requireOrSkip(t, process.getuid?.() === 0, 'root (to act as the user nobody)')) return;
  const { info } = await startFixture(t);
  // Search bits for others on every dir above, as the database drivers add them: only the files' own modes guard.
  for (const dir of [testBase(), stateRoot(), info.stateDir]) chmodSync(dir, mode(dir) | 0o001);
  const read =
    'try { require("fs").readFileSync(process.argv[1]); console.log("READ") } catch (e) { console.log(e.code) }';
  for (const f of ['spec.json', 'status.json', 'runner.log']) {
    const out = runAsNobody(read, join(info.stateDir, f));
    assert.equal(out, 'EACCES', `${f}: ${out}`);
  }
  const connect = `const s = require("net").connect(process.argv[1]);
    s.on("connect", () => { console.log("CONNECTED"); process.exit(0) });
    s.on("error", (e) => { console.log(e.code); process.exit(0) });`;
  const out = runAsNobody(connect, join(info.stateDir, 'lifeline.sock'));
  assert.equal(out, 'EACCES', `lifeline: ${out}`);
  // The instance is untouched by the attempts.
  const after = await import('../../dist/state/records/status.js').then((m) =>
    m.readStatusFile(join(info.stateDir, 'status.json')),
  );
  assert.equal(after?.phase, 'ready');
});
