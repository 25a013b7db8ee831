// The server of a `node --test` file: under the runner, one server per run bound to the runner's main process,
// started by whichever file comes first and attached to by id by the others; run directly, the file's own server.
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readStartTime } from '../api/process.js';
import { resolveStateRoot } from '../api/roots.js';
import { QuickdbError, UsageError } from '../errors.js';
import { type Instance, type StartOptions, startServer } from '../index.js';
import { addHeir } from './keep-failed.js';
import type { ServerPlan } from './plan.js';
import { openServerById, type WorkerServer } from './worker-server.js';

/** A file's server and how it ends: `stop` closes what this file holds, and stops the server if the file owns it. */
export interface FileServer {
  server: WorkerServer;
  stop(): Promise<void>;
}

/** How long a file waits for another file's start of the shared server, beyond the ready timeout (migrations). */
const ATTACH_SLACK_MS = 120_000;
const ATTACH_POLL_MS = 50;

/** The `node --test` runner this file runs under (its pid and start time), or null when run directly. */
export function findTestRunner(): { pid: number; startTime: string } | null {
  if (!process.env.NODE_TEST_CONTEXT) return null;
  const startTime = readStartTime(process.ppid);
  return startTime === null ? null : { pid: process.ppid, startTime };
}

// A shared server's id: the runner's pid and a hash of its start time, so a reused pid never names it, and of the
// options' hash, so files asking for other options get another server.
function deriveRunId(runner: { pid: number; startTime: string }, key: string): string {
  const hash = createHash('sha256').update(`${runner.startTime}\n${key}`).digest('hex').slice(0, 8);
  return `node-test-${runner.pid}-${hash}`;
}

// Is this the refusal of a second start with a taken id (another file is starting, or started, the server)?
function isIdInUse(error: unknown): boolean {
  return error instanceof QuickdbError && error.message.startsWith('id in use');
}

// Open the shared server when it is there and ready; else the reason it cannot be opened yet (absent, starting).
function tryAttach(stateRoot: string, id: string): WorkerServer | Error {
  try {
    return openServerById(stateRoot, id);
  } catch (error) {
    if (error instanceof UsageError || error instanceof QuickdbError) return error;
    throw error;
  }
}

/** The run's shared server for these options (`key`: their hash; `name`: an extra's, of `also`, whose id ends in
 *  `-NAME`): attach when it is ready; else start it (parent: the runner, no lifeline); when another file's start holds
 *  the id, poll until that one is ready, with a deadline. */
export async function obtainSharedServer(
  { start, name, key }: Pick<ServerPlan, 'start' | 'name' | 'key'>,
  runner: { pid: number; startTime: string },
): Promise<FileServer> {
  const runId = deriveRunId(runner, key);
  const id = start.id ?? (name === null ? runId : `${runId}-${name}`);
  const stateRoot = start.stateRoot ?? resolveStateRoot();
  const options: StartOptions = addHeir(
    { ...start, id, parent: start.parent ?? runner.pid, lifeline: start.lifeline ?? false },
    runner.pid,
  );
  const deadline = Date.now() + (start.readyTimeoutMs ?? 30_000) + ATTACH_SLACK_MS;
  for (;;) {
    const attached = tryAttach(stateRoot, id);
    if (!(attached instanceof Error)) return { server: attached, stop: () => attached.close() };
    try {
      await startServer(options); // no lifeline: nothing to hold; the watcher polls the runner
    } catch (error) {
      if (!isIdInUse(error)) throw error;
    }
    const started = tryAttach(stateRoot, id);
    if (!(started instanceof Error)) return { server: started, stop: () => started.close() };
    if (Date.now() > deadline)
      throw new QuickdbError(
        `quickdb-watcher: the shared server ${id} of this node --test run was not ready in time: ${started.message}`,
        { cause: started },
      );
    await sleep(ATTACH_POLL_MS);
  }
}

/** A server of this file's own, bound to this process; released by stopping it. */
export async function startOwnServer(start: StartOptions): Promise<FileServer> {
  const instance: Instance = await startServer(start);
  try {
    const stateRoot = dirname(instance.info.stateDir);
    const server = openServerById(stateRoot, instance.id);
    return {
      server,
      stop: async () => {
        await server.close();
        await instance.stop();
      },
    };
  } catch (error) {
    await instance.stop().catch(() => {});
    throw error;
  }
}
