// The checks every TCP instance's password must pass: random and URL-safe, in the URL and env, and nowhere else
// (no command line, no server environment, no log, no snapshot; only 0600 files).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InstanceInfo } from '../../dist/index.js';
import { listServerProcesses } from '../drivers/db.js';
import { findFilesContaining, modeOf } from './secret-scan.js';

// The password from the URL: random, URL-safe, and the same as in env under `envName`.
export function passwordOf(info: InstanceInfo, envName: string): string {
  const password = decodeURIComponent(new URL(info.url as string).password);
  assert.match(password, /^[A-Za-z0-9_-]{32,}$/, `a random URL-safe password in ${info.url}`);
  assert.equal(info.env[envName], password, `${envName} carries the password`);
  return password;
}

// The password is on no command line (sampled during the launch and now), in no process environment of the
// server, in no log, in no snapshot; every file holding it is 0600 and spec.json is one of them.
export function assertSecretKept(
  info: InstanceInfo,
  password: string,
  cmdlines: string[],
  snapshotNeedles: string[],
) {
  assert.ok(cmdlines.length > 0);
  const onCmdline = cmdlines.filter((c) => c.includes(password));
  assert.deepEqual(onCmdline, [], 'no command line carries the password');
  for (const pid of listServerProcesses(info.serverPid as number)) {
    let environ = '';
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {}
    assert.ok(!environ.includes(password), `the environment of server process ${pid} has no password`);
  }
  for (const log of ['server.log', 'runner.log']) {
    const text = readFileSync(join(info.stateDir, log), 'utf8');
    assert.ok(text.length > 0, `${log} has lines`);
    assert.ok(!text.includes(password), `${log} does not show the password`);
  }
  const holders = [info.stateDir, info.dataDir].flatMap((d) => findFilesContaining(d, [password]));
  assert.ok(holders.includes(join(info.stateDir, 'spec.json')), `spec.json holds the connection: ${holders}`);
  for (const f of holders)
    assert.equal(modeOf(f), 0o600, `${f} holds the password and is ${modeOf(f).toString(8)}`);
  // The snapshots, not the fetched binaries beside them (a server binary holds "SCRAM-SHA-256$" as code).
  const snapshots = join(process.env.QUICKDB_WATCHER_CACHE as string, 'snapshots');
  assert.deepEqual(
    findFilesContaining(snapshots, [password, ...snapshotNeedles]),
    [],
    'the snapshot has no password',
  );
}
