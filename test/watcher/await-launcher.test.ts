// The early watcher (`--await-launcher`): Node loads while the launcher prepares; nothing is read, started or touched
// until the launcher's go, the end of stdin without one leaves everything as it was, and signals that arrive while it
// waits are kept and obeyed once it has its instance.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServer } from '../../dist/index.js';
import { stateRoot } from '../helpers/env.js';
import { readTrace } from '../helpers/instance.js';
import { waitFor } from '../helpers/poll.js';
import { isRunning, killIfRunning, waitGone } from '../helpers/proc.js';
import { RUNNER_ARGV, writeSpec } from '../helpers/spec.js';

// Spawn the runner as the detached backend does when it starts a watcher early; stdin is the launcher's pipe.
function spawnEarly(specPath: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [...RUNNER_ARGV, '--await-launcher', specPath], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited };
}

// Resolve once the child is node with the runner's signal traps in place (its title is set right after them).
async function waitTrapped(child: ChildProcess): Promise<void> {
  await waitFor('the runner to set its title', () => {
    try {
      const exe = readlinkSync(`/proc/${child.pid}/exe`);
      return (
        exe === realpathSync(process.execPath) && /^db-quick-watcher/.test(readTitle(child.pid as number))
      );
    } catch {
      return false;
    }
  });
}

// The first word of a process's command line (where node's process.title shows), '' when it cannot be read.
function readTitle(pid: number): string {
  return readText(`/proc/${pid}/cmdline`).split('\0')[0] as string;
}

test('an early watcher whose launcher ends without go exits 0 and reads, starts and writes nothing', async (t) => {
  const { spec, path, trace } = writeSpec(t);
  const { child, exited } = spawnEarly(path);
  t.after(() => {
    killIfRunning(child.pid);
    rmSync(spec.stateDir, { recursive: true, force: true });
  });
  await waitTrapped(child);
  child.stdin?.end();
  assert.equal(await exited, 0);
  assert.equal(existsSync(join(spec.stateDir, 'status.json')), false, 'no status.json was written');
  assert.equal(existsSync(spec.dataDir), true, 'the data dir is untouched');
  assert.deepEqual(readTrace(trace), [], 'the server never started');
});

test('go hands the instance over: the server starts, and TERM stops it and cleans up', async (t) => {
  const { spec, path } = writeSpec(t);
  const { child, exited } = spawnEarly(path);
  t.after(() => killIfRunning(child.pid));
  child.stdin?.end('go\n');
  const status = join(spec.stateDir, 'status.json');
  await waitFor('ready', () => existsSync(status) && /"phase":\s*"ready"/.test(readText(status)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.equal(existsSync(spec.dataDir), false, 'the data dir is deleted');
});

test('a TERM while it waits is kept: after go the instance starts, then stops and cleans up', async (t) => {
  const { spec, path, trace } = writeSpec(t);
  const { child, exited } = spawnEarly(path);
  t.after(() => killIfRunning(child.pid));
  await waitTrapped(child);
  child.kill('SIGTERM');
  child.stdin?.end('go\n');
  assert.equal(await exited, 0);
  assert.equal(existsSync(spec.dataDir), false, 'the data dir is deleted');
  for (const line of readTrace(trace)) {
    const pid = Number(line.split(' ')[1]);
    if (pid) assert.ok(await waitGone(pid), `server ${pid} is gone`);
  }
});

test('a launch that fails after its claim leaves no early watcher behind', async (t) => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  t.after(() => holder.close());
  const port = (holder.address() as { port: number }).port;
  await assert.rejects(startServer({ driver: 'postgresql', backend: 'detached', port }), /port|in use/i);
  // The early watcher runs in the instance's state dir (its title hides the argv): none may be left there.
  await waitFor('no watcher left in a state dir', () => findProcessesIn(`${stateRoot()}/`).length === 0);
});

// A file's text, '' when it cannot be read.
function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

// Live processes whose working dir is below `dir` (a removed dir still shows its path, with " (deleted)").
function findProcessesIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`).startsWith(dir) && isRunning(pid);
      } catch {
        return false;
      }
    });
}
