// The launchd backend through a fake launchctl on PATH that really runs the plist's ProgramArguments.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import plist from 'plist';
import { startServer } from '../../dist/index.js';
import { FIXTURES, testBase } from '../helpers/env.js';
import { fixtureOptions, registerCleanup } from '../helpers/instance.js';
import { isRunning, waitGone } from '../helpers/proc.js';

process.env.PATH = `${join(FIXTURES, 'fake-launchctl')}:${process.env.PATH}`;
const uid = process.getuid?.() ?? 0;

// A fresh state dir for the fake launchctl; its argv log as a list of argv arrays.
function fakeLaunchctl(t: TestContext, noGui = false): () => string[][] {
  const dir = mkdtempSync(join(testBase(), 'launchctl-'));
  process.env.FAKE_LAUNCHCTL_DIR = dir;
  if (noGui) process.env.FAKE_LAUNCHCTL_NO_GUI = '1';
  else delete process.env.FAKE_LAUNCHCTL_NO_GUI;
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return () =>
    readFileSync(join(dir, 'argv.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as string[]);
}

test('launchd: bootstrap gui/<uid> runs the plist, stop boots it out and leaves nothing', async (t) => {
  const calls = fakeLaunchctl(t);
  const { options } = fixtureOptions(t, { options: { backend: 'launchd' } });
  const instance = await startServer(options);
  registerCleanup(t, () => instance.info);
  const { info } = instance;
  const label = `dev.quickdb-watcher.${info.id}`;
  assert.equal(info.backend, 'launchd');
  assert.equal(info.unit, `gui/${uid}/${label}`);
  assert.ok(info.serverPid && isRunning(info.serverPid));
  const bootstrap = calls().find((c) => c[0] === 'bootstrap') as string[];
  assert.deepEqual(bootstrap.slice(0, 2), ['bootstrap', `gui/${uid}`]);
  const job = plist.parse(readFileSync(bootstrap[2] as string, 'utf8')) as Record<string, unknown>;
  assert.equal(job.Label, label);
  assert.equal(job.RunAtLoad, true);
  assert.equal(job.KeepAlive, false);
  assert.equal(job.AbandonProcessGroup, false);
  assert.equal(job.ExitTimeOut, 16); // the stop budget: 400 + 400 ms ladder + 15 s slack, rounded up
  assert.equal(job.StandardErrorPath, join(info.stateDir, 'runner.log'));
  assert.deepEqual((job.ProgramArguments as string[]).slice(-1), [join(info.stateDir, 'spec.json')]);
  await instance.stop();
  await waitGone(info.serverPid);
  assert.equal(existsSync(info.dataDir), false);
  assert.equal(existsSync(info.stateDir), false);
  assert.deepEqual(calls().at(-2), ['bootout', `gui/${uid}/${label}`]);
});

test('launchd: a headless Mac (no gui domain) falls back to user/<uid>; kill eliminates', async (t) => {
  const calls = fakeLaunchctl(t, true);
  const { options } = fixtureOptions(t, { mode: 'stubborn', options: { backend: 'launchd' } });
  const instance = await startServer(options);
  registerCleanup(t, () => instance.info);
  assert.equal(instance.info.unit, `user/${uid}/dev.quickdb-watcher.${instance.id}`);
  const verbs = calls().map((c) => `${c[0]} ${c[1]}`);
  assert.deepEqual(verbs.slice(0, 2), [`bootstrap gui/${uid}`, `bootstrap user/${uid}`]);
  const result = await instance.eliminate();
  assert.equal(result.ok, true);
  await waitGone(instance.info.serverPid as number);
  assert.equal(existsSync(instance.info.dataDir), false);
});

test('launchd: when no domain accepts the job, up fails naming both and leaves nothing', async (t) => {
  fakeLaunchctl(t);
  process.env.FAKE_LAUNCHCTL_REFUSE = '1';
  t.after(() => {
    delete process.env.FAKE_LAUNCHCTL_REFUSE;
  });
  const { options } = fixtureOptions(t, { options: { backend: 'launchd', id: 'launchd-refused' } });
  await assert.rejects(
    startServer(options),
    /launchd could not start dev\.quickdb-watcher\.launchd-refused: launchctl bootstrap gui\/\d+: Bootstrap failed: 5: Input\/output error; launchctl bootstrap user\/\d+: Bootstrap failed: 5/,
  );
  assert.equal(existsSync(join(options.stateRoot as string, 'launchd-refused')), false);
});
