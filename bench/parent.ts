// Requester processes for the bench: the parent fixture (one instance) spawned and read, or killed.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PARENT_FIXTURE } from './sandbox.js';

export interface ParentInfo {
  id: string;
  watcherPid: number;
  serverPid: number;
  dataDir: string;
  stateDir: string;
  parentPid: number;
}

export interface RunningParent {
  child: ChildProcess;
  info: ParentInfo;
}

// Spawn the parent fixture with StartOptions and resolve once it printed its instance info.
export function spawnParent(
  options: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): Promise<RunningParent> {
  const child = spawn(process.execPath, [PARENT_FIXTURE, JSON.stringify(options)], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      try {
        resolvePromise({ child, info: JSON.parse(line) as ParentInfo });
      } catch (error) {
        reject(error);
      }
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`parent fixture exited (${code ?? signal}) before ready: ${stderr.slice(-500)}`)),
    );
  });
}

// SIGKILL the parent and resolve with the epoch ms just before the kill; the child is reaped by us.
export function killParent(parent: RunningParent): number {
  const t0 = Date.now();
  parent.child.kill('SIGKILL');
  return t0;
}
