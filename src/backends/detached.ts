// The detached backend: the watcher spawned in its own session, stdio to runner.log, unref'd.
import { spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { buildWatcherCommand } from '../generate/watcher-command.js';
import { openForAppend } from '../state/files/write-file.js';
import { dropInstanceTags } from '../state/process/instance-tags.js';
import type { InstancePaths } from '../state/records/paths.js';
import type { Spec } from '../state/records/spec.js';
import { signalWatcherPid } from './signal-pid.js';
import type { Backend, LaunchResult } from './types.js';

export const detachedBackend: Backend = {
  name: 'detached',
  async launch(spec: Spec, paths: InstancePaths): Promise<LaunchResult> {
    const [node, ...args] = buildWatcherCommand(paths.spec);
    const log = openForAppend(paths.log);
    try {
      const child = spawn(node as string, args, {
        detached: true,
        stdio: ['ignore', log, log],
        cwd: spec.stateDir,
        // The launcher may run inside another instance's server: that instance's tag is not the watcher's.
        env: dropInstanceTags(process.env),
      });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      child.unref();
      return { watcherPid: child.pid as number };
    } finally {
      closeSync(log);
    }
  },
  async signal(_spec, status, signal) {
    signalWatcherPid(status, signal);
  },
  async release() {},
};
