// CLI start-up: `--version`, `--help`, `list`, `stop ID` and `up` spawned to exit, interleaved each round with
// `node -e 0`, the library's stop and the library's start in a whole process; the targets as ratios.
import { controlInstance, startServer } from '../dist/index.js';
import { addRatioCell, LIBRARY_UP_ROW, listUpForms, nameUpRow, timeUp } from './cli-up.js';
import { runNode } from './proc.js';
import { addCell, type Results } from './record.js';
import { CLI, type Sandbox, SERVER_FIXTURE, withBackendEnv } from './sandbox.js';

const NODE_BASELINE = 'baseline: `node -e 0` spawn → exit';
const STOP_FLOOR = '`node -e 0` + the library stop, same round (the floor of `stop ID`)';

interface Form {
  name: string;
  /** The CLI's arguments; `ID` is replaced by a fresh instance's id, started (untimed) before the spawn. */
  args: string[];
  /** What the form must print (checked so a broken fast path cannot look fast). */
  expect: RegExp;
  code: number;
}

const FORMS: Form[] = [
  { name: '--version', args: ['--version'], expect: /^\d+\.\d+\.\d+\S*\n$/, code: 0 },
  { name: '--help', args: ['--help'], expect: /Commands:/, code: 0 },
  { name: 'list', args: ['list'], expect: /./, code: 0 },
  { name: 'stop ID', args: ['stop', 'ID'], expect: /: stopped; /, code: 0 },
];

// Start a `command` instance of the fixture server with no parent (untimed); its id.
async function startFixture(sandbox: Sandbox): Promise<string> {
  const instance = await withBackendEnv(sandbox, 'detached', () =>
    startServer({
      driver: 'command',
      args: [process.execPath, SERVER_FIXTURE, 'polite'],
      readyLog: 'READY',
      backend: 'detached',
      parent: 'none',
      stateRoot: sandbox.stateRoot,
    }),
  );
  return instance.info.id;
}

// Time the library's stop of a fresh instance (what `stop ID` waits for besides its own start-up).
async function timeLibraryStop(sandbox: Sandbox): Promise<number> {
  const id = await startFixture(sandbox);
  const t0 = process.hrtime.bigint();
  const result = await withBackendEnv(sandbox, 'detached', () =>
    controlInstance(sandbox.stateRoot, id, 'stop'),
  );
  if (!result.ok) throw new Error(`library stop of ${id} did not end cleanly`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

// Time one form of one binary; throws when it exits or prints otherwise than expected.
async function timeForm(sandbox: Sandbox, bin: string, form: Form): Promise<number> {
  const env = { ...process.env };
  delete env.XDG_RUNTIME_DIR;
  const id = form.args.includes('ID') ? await startFixture(sandbox) : '';
  const args = form.args.map((a) => (a === 'ID' ? id : a));
  const run = await runNode([bin, ...args], env);
  const out = run.stdout + run.stderr;
  if (run.code !== form.code || !form.expect.test(out))
    throw new Error(`${form.name}: exit ${run.code}, printed ${JSON.stringify(out.slice(0, 200))}`);
  return run.ms;
}

// Run the CLI start-up area: every form (of this build, and of BENCH_CLI_BEFORE's bin if set) interleaved.
export async function runCliStartArea(sandbox: Sandbox, results: Results, trials: number): Promise<void> {
  const bins: [string, string][] = [['CLI', CLI]];
  if (process.env.BENCH_CLI_BEFORE) bins.push(['CLI before', process.env.BENCH_CLI_BEFORE]);
  const nodeStart: number[] = [];
  const libraryStop: number[] = [];
  const samples = new Map<string, number[]>();
  // A failed run counts as NaN, so every row keeps one sample per round (the ratio rows pair them by round).
  const record = async (key: string, time: () => Promise<number>, round: number): Promise<void> => {
    let ms = Number.NaN;
    try {
      ms = await time();
    } catch (error) {
      results.errors.push(`cli ${key} round ${round}: ${(error as Error).message}`);
    }
    samples.set(key, [...(samples.get(key) ?? []), ms]);
  };
  const rounds = Math.max(30, trials);
  for (let i = 0; i < rounds; i++) {
    for (const form of listUpForms(bins, i)) await record(form.name, () => timeUp(sandbox, form), i);
    nodeStart.push((await runNode(['-e', '0'])).ms);
    try {
      libraryStop.push(await timeLibraryStop(sandbox));
    } catch (error) {
      libraryStop.push(Number.NaN);
      results.errors.push(`cli library stop round ${i}: ${(error as Error).message}`);
    }
    for (const form of FORMS) {
      for (const [label, bin] of bins) {
        await record(`${label} \`${form.name}\` spawn → exit`, () => timeForm(sandbox, bin, form), i);
      }
    }
  }
  addCell(results, { area: 'cli', name: NODE_BASELINE, unit: 'ms', samples: nodeStart });
  addCell(results, {
    area: 'cli',
    name: 'library `controlInstance(stop)` of a fresh `command` instance (in process)',
    unit: 'ms',
    samples: libraryStop,
  });
  const stopFloor = nodeStart.map((ms, i) => ms + (libraryStop[i] ?? Number.NaN));
  addCell(results, { area: 'cli', name: STOP_FLOOR, unit: 'ms', samples: stopFloor });
  for (const [name, values] of samples) {
    const goal = /`--version`/.test(name) && !name.includes('before');
    const baseline = name.includes('`up ')
      ? LIBRARY_UP_ROW
      : name.includes('`stop ID`')
        ? STOP_FLOOR
        : NODE_BASELINE;
    if (name === LIBRARY_UP_ROW) {
      addCell(results, { area: 'cli', name, unit: 'ms', samples: values });
      continue;
    }
    addCell(results, {
      area: 'cli',
      name,
      unit: 'ms',
      samples: values,
      baseline,
      ...(goal ? { note: 'goal: ≤ 1.4× `node -e 0`' } : {}),
    });
  }
  const cliStop = samples.get('CLI `stop ID` spawn → exit') ?? [];
  addCell(results, {
    area: 'cli',
    name: 'CLI `stop ID` minus the library stop of the same round (the CLI’s own share)',
    unit: 'ms',
    samples: cliStop.map((ms, i) => ms - (libraryStop[i] ?? Number.NaN)),
  });
  const libraryUp = samples.get(LIBRARY_UP_ROW) ?? [];
  for (const [label] of bins) {
    const up = samples.get(nameUpRow(label)) ?? [];
    addRatioCell(results, `${label} \`up\` / the library process (same round)`, up, libraryUp, 125);
    const stop = samples.get(`${label} \`stop ID\` spawn → exit`) ?? [];
    addRatioCell(
      results,
      `${label} \`stop ID\` / (\`node -e 0\` + library stop) (same round)`,
      stop,
      stopFloor,
      140,
    );
  }
  process.stderr.write(`  cli: ${rounds} rounds\n`);
}
