// Launch to ready: library and CLI per backend, the runner's start-up share, and bare node baselines.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { controlInstance, startServer } from '../dist/index.js';
import { runNode, timeUntilOutput } from './proc.js';
import { addCell, type Results } from './record.js';
import { CLI, makeBackendEnv, type Sandbox, SERVER_FIXTURE, withBackendEnv } from './sandbox.js';

interface LaunchSample {
  ready: number;
  runnerStarting: number;
  runnerToReady: number;
}

const SERVER_ARGS = [process.execPath, SERVER_FIXTURE, 'polite'];

// Epoch ms of a phase in status.json times, or NaN.
function readPhaseTime(stateDir: string, phase: string): number {
  try {
    const status = JSON.parse(readFileSync(`${stateDir}/status.json`, 'utf8')) as {
      times: Record<string, string>;
    };
    const t = status.times[phase];
    return t ? Date.parse(t) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

// Time startServer() to ready in this process, split at the runner's first status ('starting').
async function measureLibraryLaunch(sandbox: Sandbox, backend: string): Promise<LaunchSample> {
  return withBackendEnv(sandbox, backend, async () => {
    const t0 = Date.now();
    const instance = await startServer({
      driver: 'command',
      args: SERVER_ARGS,
      readyLog: 'READY',
      backend,
      stateRoot: sandbox.stateRoot,
    } as Parameters<typeof startServer>[0]);
    const ready = Date.now() - t0;
    const starting = readPhaseTime(instance.info.stateDir, 'starting');
    const readyAt = readPhaseTime(instance.info.stateDir, 'ready');
    await instance.stop();
    return { ready, runnerStarting: starting - t0, runnerToReady: readyAt - starting };
  });
}

// Time `quickdb-watcher up command --format json` to its exit (ready), then stop the instance.
async function measureCliLaunch(sandbox: Sandbox, backend: string): Promise<LaunchSample> {
  const t0 = Date.now();
  const args = ['up', 'command', '--format', 'json', '--backend', backend, '--ready-log', 'READY'];
  const run = await runNode([CLI, ...args, '--', ...SERVER_ARGS], makeBackendEnv(sandbox, backend));
  if (run.code !== 0) throw new Error(`up exited ${run.code}: ${run.stderr}`);
  const out = run.stdout;
  const ready = Date.now() - t0;
  const info = JSON.parse(out) as { id: string; stateDir: string };
  const starting = readPhaseTime(info.stateDir, 'starting');
  const readyAt = readPhaseTime(info.stateDir, 'ready');
  await withBackendEnv(sandbox, backend, () => controlInstance(sandbox.stateRoot, info.id, 'stop'));
  return { ready, runnerStarting: starting - t0, runnerToReady: readyAt - starting };
}

// Baseline: spawn the fixture server directly and wait for its READY line.
function measureBareServer(): Promise<number> {
  return timeUntilOutput([process.execPath, SERVER_FIXTURE, 'polite'], 'READY');
}

// Baseline: `node -e 0` spawn to exit (node's own start-up cost on this machine).
function measureNodeStartup(): number {
  const t0 = Date.now();
  spawnSync(process.execPath, ['-e', '0']);
  return Date.now() - t0;
}

// Run the launch area for each backend, with the bare-server and node baselines interleaved.
export async function runLaunchArea(
  sandbox: Sandbox,
  results: Results,
  trials: number,
  backends: string[],
): Promise<void> {
  const bare: number[] = [];
  const nodeStart: number[] = [];
  const cells = new Map<string, LaunchSample[]>();
  for (let i = 0; i < trials; i++) {
    bare.push(await measureBareServer());
    nodeStart.push(measureNodeStartup());
    for (const backend of backends) {
      for (const via of ['library', 'CLI'] as const) {
        const key = `${via} ${backend}`;
        try {
          const s =
            via === 'library'
              ? await measureLibraryLaunch(sandbox, backend)
              : await measureCliLaunch(sandbox, backend);
          cells.set(key, [...(cells.get(key) ?? []), s]);
        } catch (error) {
          results.errors.push(`launch ${key} trial ${i}: ${(error as Error).message}`);
        }
      }
    }
  }
  const baseName = 'baseline: spawn the fixture server directly → READY';
  addCell(results, { area: 'launch', name: baseName, unit: 'ms', samples: bare });
  addCell(results, {
    area: 'launch',
    name: 'baseline: `node -e 0` spawn → exit',
    unit: 'ms',
    samples: nodeStart,
  });
  for (const [key, samples] of cells) {
    addCell(results, {
      area: 'launch',
      name: `${key}: call → ready`,
      unit: 'ms',
      samples: samples.map((s) => s.ready),
      baseline: baseName,
    });
    addCell(results, {
      area: 'launch',
      name: `${key}: call → runner's first status ('starting')`,
      unit: 'ms',
      samples: samples.map((s) => s.runnerStarting),
    });
    addCell(results, {
      area: 'launch',
      name: `${key}: runner 'starting' → 'ready'`,
      unit: 'ms',
      samples: samples.map((s) => s.runnerToReady),
    });
  }
  process.stderr.write(`  launch: ${trials} rounds\n`);
}
