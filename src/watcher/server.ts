// The server process: spawned in its own process group, signalled, and swept when it ends.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { openForAppend } from '../state/files/write-file.js';
import { dropInstanceTags, INSTANCE_TAG } from '../state/process/instance-tags.js';
import type { Spec } from '../state/records/spec.js';
import type { EventQueue } from './events.js';

export interface ServerProcess {
  pid: number;
  child: ChildProcess;
  exited: boolean;
}

// Spawn the server with stdio to the server log; its exit becomes a queue event. Rejects on a spawn failure.
export async function spawnServer(spec: Spec, logPath: string, queue: EventQueue): Promise<ServerProcess> {
  const fd = openForAppend(logPath);
  const [cmd, ...args] = spec.server.argv as [string, ...string[]];
  let child: ChildProcess;
  try {
    child = spawn(cmd, args, {
      cwd: spec.server.cwd,
      // Its own tag only: a launcher inside another instance's server must not hand that identity on.
      env: { ...dropInstanceTags(spec.server.env), [INSTANCE_TAG]: spec.stateDir },
      detached: true,
      stdio: ['ignore', fd, fd],
      ...(spec.server.uid !== undefined ? { uid: spec.server.uid } : {}),
      ...(spec.server.gid !== undefined ? { gid: spec.server.gid } : {}),
    });
  } finally {
    closeSync(fd);
  }
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (cause) => reject(new Error(`cannot start ${cmd}: ${cause.message}`, { cause })));
  });
  const server: ServerProcess = { pid: child.pid as number, child, exited: false };
  child.once('exit', (code, signal) => {
    server.exited = true;
    queue.push({ type: 'server-exit', code, signal });
  });
  return server;
}

// Send a signal to the server's leader; false when it is already gone.
export function signalServer(server: ServerProcess, signal: NodeJS.Signals): boolean {
  if (server.exited) return false;
  try {
    process.kill(server.pid, signal);
    return true;
  } catch {
    return false;
  }
}

// SIGKILL whatever is left of the server's process group (children that outlived the leader).
export function sweepServerGroup(server: ServerProcess): boolean {
  try {
    process.kill(-server.pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}
