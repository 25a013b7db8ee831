// The detached backend: the watcher spawned in its own session, stdio to runner.log, unref'd. It is spawned as soon
// as the instance's state dir is claimed, so Node loads the watcher while the launcher prepares the data dir; the
// launcher hands it the instance over its stdin once spec.json is written.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { buildWatcherCommand } from '../generate/watcher-command.js';
import { openForAppend } from '../state/files/write-file.js';
import { dropInstanceTags } from '../state/process/instance-tags.js';
import type { InstancePaths } from '../state/records/paths.js';
import { AWAIT_LAUNCHER } from '../state/records/watcher-argv.js';
import { signalWatcherPid } from './signal-pid.js';
import type { Backend, EarlyWatcher, LaunchResult } from './types.js';

// Spawn the watcher for paths (waiting for the launcher's go on stdin when `early`); resolves once it runs.
function spawnWatcher(paths: InstancePaths, early: boolean): { child: ChildProcess; running: Promise<void> } {
  const [node, ...args] = buildWatcherCommand(paths.spec, early ? [AWAIT_LAUNCHER] : []);
  const log = openForAppend(paths.log);
  try {
    const child = spawn(node as string, args, {
      detached: true,
      stdio: [early ? 'pipe' : 'ignore', log, log],
      cwd: paths.dir,
      // The launcher may run inside another instance's server: that instance's tag is not the watcher's.
      env: dropInstanceTags(process.env),
    });
    const running = new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    running.catch(() => {});
    return { child, running };
  } finally {
    closeSync(log);
  }
}

// Start the watcher now, to be handed its instance later (or told there is none: the pipe closes unused).
function startEarly(paths: InstancePaths): EarlyWatcher {
  const { child, running } = spawnWatcher(paths, true);
  const input = child.stdin as NonNullable<ChildProcess['stdin']>;
  input.on('error', () => {}); // a watcher that died first: `go` finds out below
  let exited = false;
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void ended.then(() => {
    exited = true;
  });
  const release = (): void => {
    input.end();
    child.unref();
  };
  return {
    async go(): Promise<LaunchResult> {
      try {
        await running;
        if (exited) throw new Error('the watcher exited before the launch handed it the instance');
        input.write('go\n');
      } finally {
        release();
      }
      return { watcherPid: child.pid as number };
    },
    // It owns nothing yet and is our own unreaped child (its pid cannot be another's): ended at once, and reaped, so
    // a failed launch leaves no process behind (not even one holding the state dir as its working dir).
    async cancel(): Promise<void> {
      input.end();
      if (!exited) child.kill('SIGKILL');
      // Still ref'd while it is waited for: the launcher cannot end before its child is reaped.
      await running.then(
        () => ended,
        () => {},
      );
    },
  };
}

export const detachedBackend: Backend = {
  name: 'detached',
  prestart: startEarly,
  async launch(_spec, paths, early): Promise<LaunchResult> {
    if (early) return early.go();
    const { child, running } = spawnWatcher(paths, false);
    await running;
    child.unref();
    return { watcherPid: child.pid as number };
  },
  async signal(_spec, status, signal) {
    signalWatcherPid(status, signal);
  },
  async release() {},
};
