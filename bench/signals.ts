// Signal paths end to end: stop, stop --keep, kill (fast eliminate), the ladder with an immortal server, CLI stop.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Instance, startServer } from '../dist/index.js';
import { findTraceTime } from './proc.js';
import { addCell, type Results } from './record.js';
import { CLI, type Sandbox, SERVER_FIXTURE } from './sandbox.js';

const LADDER_GRACE_MS = 200;

type Action = 'stop' | 'keep' | 'kill' | 'ladder' | 'cli-stop';

// Start one fixture server in this process (detached backend) for a signal-path trial.
function startFixture(sandbox: Sandbox, action: Action, trace: string, dataDir: string): Promise<Instance> {
  const mode = action === 'ladder' ? 'immortal' : 'polite';
  return startServer({
    driver: 'command',
    args: [process.execPath, SERVER_FIXTURE, mode, '--trace', trace],
    readyLog: 'READY',
    backend: 'detached',
    stateRoot: sandbox.stateRoot,
    dataDir,
    ...(action === 'ladder'
      ? { stopGraceMs: LADDER_GRACE_MS, fastGraceMs: LADDER_GRACE_MS, fastStopSignal: 'SIGINT' }
      : action === 'kill'
        ? { fastStopSignal: 'SIGQUIT' }
        : {}),
  });
}

// Time one signal path: call → server signalled (trace) and call → the control call returned (watcher gone).
async function measureSignalTrial(
  sandbox: Sandbox,
  action: Action,
  n: number,
): Promise<{ signalled: number; done: number }> {
  const trace = join(sandbox.scratch, `trace-signal-${action}-${n}`);
  const dataDir = join(sandbox.scratch, `data-signal-${action}-${n}`);
  const instance = await startFixture(sandbox, action, trace, dataDir);
  const t0 = Date.now();
  if (action === 'stop' || action === 'ladder') await instance.stop();
  else if (action === 'keep') await instance.stop({ keep: true });
  else if (action === 'kill') await instance.eliminate();
  else {
    const r = spawnSync(process.execPath, [CLI, 'stop', instance.id], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cli stop exited ${r.status}: ${r.stderr}`);
  }
  const done = Date.now() - t0;
  const signalledAt = findTraceTime(trace, /got SIG\w+/);
  if (action !== 'keep' && existsSync(dataDir)) throw new Error(`${action}: data dir ${dataDir} left behind`);
  if (action === 'keep' && !existsSync(dataDir)) throw new Error('stop --keep: data dir was deleted');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(trace, { force: true });
  // stop --keep keeps the state dir (status, logs) by design; `gc` would remove it, the bench does it here.
  if (action === 'keep') rmSync(instance.info.stateDir, { recursive: true, force: true });
  return { signalled: signalledAt === null ? Number.NaN : signalledAt - t0, done };
}

// Run every signal path `trials` times and record call → signalled and call → done.
export async function runSignalsArea(sandbox: Sandbox, results: Results, trials: number): Promise<void> {
  const actions: Action[] = ['stop', 'keep', 'kill', 'ladder', 'cli-stop'];
  for (const action of actions) {
    const samples: { signalled: number; done: number }[] = [];
    const count = action === 'ladder' ? Math.max(3, Math.ceil(trials / 2)) : trials;
    for (let i = 0; i < count; i++) {
      try {
        samples.push(await measureSignalTrial(sandbox, action, i));
      } catch (error) {
        results.errors.push(`signals ${action} trial ${i}: ${(error as Error).message}`);
      }
    }
    const label = {
      stop: 'stop (library, SIGTERM)',
      keep: 'stop --keep (library, SIGINT)',
      kill: 'kill (library, SIGUSR1 fast eliminate)',
      ladder: `ladder, immortal server (stop grace ${LADDER_GRACE_MS} + fast grace ${LADDER_GRACE_MS} ms)`,
      'cli-stop': 'stop (CLI `quickdb-watcher stop ID`, incl. CLI node start-up)',
    }[action];
    addCell(results, {
      area: 'signals',
      name: `${label}: call → server got first signal`,
      unit: 'ms',
      samples: samples.map((s) => s.signalled),
    });
    addCell(results, {
      area: 'signals',
      name: `${label}: call → returned (server reaped, watcher gone)`,
      unit: 'ms',
      samples: samples.map((s) => s.done),
      ...(action === 'ladder' ? { note: `includes ${2 * LADDER_GRACE_MS} ms of configured grace` } : {}),
    });
    process.stderr.write(`  signals ${action}: ${samples.length}/${count} ok\n`);
  }
}
