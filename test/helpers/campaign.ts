// Runs a randomized fault campaign: seeded trials in a small pool, an audit after each, a summary of counts.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { resolveRamRoot } from '../../dist/launch/placement.js';
import { watchIpc } from '../../scripts/ipc-audit.mjs';
import { auditTrial, instanceCgroupPaths, killTrialProcesses, LEAK_KINDS, type Leak } from './audit.js';
import { testBase } from './env.js';
import { scaleDeadline } from './load.js';
import { createRng, deriveSeed, type Rng, readSeed } from './prng.js';

export interface TrialContext {
  n: number;
  seed: number;
  rng: Rng;
  /** Instance id (unique per trial) and the trial's own dir: the token its processes carry. */
  id: string;
  dir: string;
  stateRoot: string;
  stateDir: string;
  trace: string;
  /** process.env with QUICKDB_WATCHER_STATE set to this trial's state root (for the CLI). */
  env: NodeJS.ProcessEnv;
  pids: number[];
  dataDirs: string[];
  /** Fault kinds injected by this trial. */
  faults: string[];
  /** Violations of the parent's expected view (exit codes, errors, status). */
  problems: string[];
  /** Facts printed only when the trial fails (outputs, statuses). */
  notes: string[];
  /** Run at the end of the trial whatever happened (before the audit). */
  defer(fn: () => unknown): void;
}

export interface Scenario {
  name: string;
  run(ctx: TrialContext): Promise<void>;
}

export interface CampaignOptions {
  name: string;
  trials: number;
  concurrency: number;
  choose(rng: Rng): Scenario;
  /** Units still loaded for a trial's instance id (systemd campaigns). */
  listUnits?: (id: string) => string[];
  ipc?: boolean;
  trialTimeoutMs?: number;
}

// Trial count: the default, or $QUICKDB_SOAK_TRIALS scaled by this campaign's share of the soak.
export function countTrials(defaultCount: number, soakShare = 1): number {
  const soak = Number(process.env.QUICKDB_SOAK_TRIALS);
  return soak > 0 ? Math.max(1, Math.round(soak * soakShare)) : defaultCount;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function rejectAfter(ms: number, what: string): Promise<never> {
  return new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms).unref(),
  );
}

async function runTrial(
  opts: CampaignOptions,
  campaignSeed: number,
  n: number,
): Promise<TrialContext & { leaks: Leak[]; scenario: string }> {
  const seed = deriveSeed(campaignSeed, n);
  const rng = createRng(seed);
  const id = `${opts.name}-${campaignSeed.toString(36)}-${n}`;
  const dir = join(testBase(), 'faults', id);
  const stateRoot = join(dir, 'state');
  mkdirSync(dir, { recursive: true });
  const deferred: (() => unknown)[] = [];
  const ctx: TrialContext = {
    n,
    seed,
    rng,
    id,
    dir,
    stateRoot,
    stateDir: join(stateRoot, id),
    trace: join(dir, 'trace.log'),
    env: { ...process.env, QUICKDB_WATCHER_STATE: stateRoot },
    pids: [],
    // The default data dir: in the state dir on disk, or in this state root's RAM root (the default where it has room).
    dataDirs: [
      join(stateRoot, id, 'data'),
      ...[resolveRamRoot(stateRoot)].flatMap((r) => (r ? [join(r, id)] : [])),
    ],
    faults: [],
    problems: [],
    notes: [],
    defer: (fn) => deferred.push(fn),
  };
  // The trial's SysV IPC, attributed by the pids that made or used it (its dir is the token they carry).
  const ipc = opts.ipc ? watchIpc(dir) : undefined;
  const scenario = opts.choose(rng);
  try {
    await Promise.race([
      scenario.run(ctx),
      rejectAfter(scaleDeadline(opts.trialTimeoutMs ?? 60_000), scenario.name),
    ]);
  } catch (error) {
    ctx.problems.push(
      `threw: ${(error as Error).stack ?? error}\n${(error as { details?: string }).details ?? ''}`,
    );
  }
  for (const fn of deferred.reverse())
    await Promise.resolve()
      .then(fn)
      .catch(() => {});
  const scope = {
    token: dir,
    stateRoot,
    dataDirs: ctx.dataDirs,
    pids: ctx.pids,
    cgroups: instanceCgroupPaths(id, ctx.stateDir),
    ...(opts.listUnits ? { listUnits: () => opts.listUnits?.(id) ?? [] } : {}),
    ...(ipc ? { ipc } : {}),
  };
  const leaks = await auditTrial(scope);
  killTrialProcesses(scope);
  rmSync(dir, { recursive: true, force: true });
  for (const d of ctx.dataDirs) rmSync(d, { recursive: true, force: true });
  return { ...ctx, leaks, scenario: scenario.name };
}

// Run the campaign and assert zero leaks and a correct parent view in every trial; prints the seed and counts.
export async function runCampaign(t: TestContext, opts: CampaignOptions): Promise<void> {
  const seed = readSeed();
  const only = process.env.QUICKDB_FAULT_TRIAL;
  const numbers = only ? [Number(only)] : Array.from({ length: opts.trials }, (_, i) => i);
  const say = (line: string): void => void process.stdout.write(`# [${opts.name}] ${line}\n`);
  say(
    `seed ${seed} (replay: QUICKDB_FAULT_SEED=${seed}; one trial: also QUICKDB_FAULT_TRIAL=N), ${numbers.length} trials`,
  );
  const started = Date.now();
  const faults = new Map<string, number>();
  const leaks = new Map<string, number>(LEAK_KINDS.map((k) => [k, 0]));
  const failures: string[] = [];
  const queue = [...numbers];
  const worker = async (): Promise<void> => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      const r = await runTrial(opts, seed, n);
      for (const f of r.faults) bump(faults, f);
      for (const l of r.leaks) bump(leaks, l.kind);
      if (r.leaks.length || r.problems.length) {
        const what = [
          ...r.leaks.map((l) => `LEAK ${l.kind}: ${l.detail}`),
          ...r.problems.map((p) => `VIEW ${p}`),
          ...r.notes.map((n) => `note: ${n}`),
        ];
        failures.push(
          `trial ${n} (${r.scenario}; faults ${r.faults.join(', ')}):\n    ${what.join('\n    ')}`,
        );
        say(`FAILED trial ${n}: ${r.scenario} [${r.faults.join(', ')}]\n#   ${what.join('\n#   ')}`);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say(`${numbers.length} trials in ${seconds} s, seed ${seed}, ${failures.length} failed`);
  say(
    `faults injected: ${[...faults]
      .sort()
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
  say(`leaks found:     ${[...leaks].map(([k, v]) => `${k}=${v}`).join(' ')}`);
  t.diagnostic(`${opts.name}: ${numbers.length} trials, ${seconds} s, seed ${seed}`);
  assert.equal(failures.length, 0, `seed ${seed}: ${failures.length} trials failed:\n${failures.join('\n')}`);
}
