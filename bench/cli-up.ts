// CLI `up` against the library in a whole process: each spawned to its exit (PostgreSQL, detached, no parent, the
// sandbox's state root and default placement), stopped untimed; and the ratio rows for the issue's CLI targets.
import { controlInstance } from '../dist/index.js';
import { type NodeRun, runNode } from './proc.js';
import { addCell, type Results } from './record.js';
import { makeBackendEnv, ROOT, type Sandbox, withBackendEnv } from './sandbox.js';

/** The library's start in a whole Node process: import the entry, start, print the info, exit. */
const LIBRARY_UP = `import(${JSON.stringify(`${ROOT}/dist/index.js`)}).then(async (m) => {
  const i = await m.startServer({ driver: 'postgresql', parent: 'none' });
  console.log(JSON.stringify(i.info));
})`;

export const LIBRARY_UP_ROW = 'library process: `node -e "import(…).startServer({parent: \'none\'})"` → exit';

/** One up row: its label and how to spawn it. */
export interface UpForm {
  name: string;
  args: string[];
}

// The row name of a CLI binary's `up`.
export function nameUpRow(label: string): string {
  return `${label} \`up --parent none --format json\` spawn → exit`;
}

// The up rows for the CLI binaries (label, bin), rotated by the round (no row always runs first after a stop).
export function listUpForms(bins: [string, string][], round: number): UpForm[] {
  const forms = [
    { name: LIBRARY_UP_ROW, args: ['-e', LIBRARY_UP] },
    ...bins.map(([label, bin]) => ({
      name: nameUpRow(label),
      args: [bin, 'up', '--parent', 'none', '--format', 'json'],
    })),
  ];
  const k = round % forms.length;
  return [...forms.slice(k), ...forms.slice(0, k)];
}

// Time one up form to its exit, then stop the instance it printed (untimed); throws when it failed.
export async function timeUp(sandbox: Sandbox, form: UpForm): Promise<number> {
  const run: NodeRun = await runNode(form.args, makeBackendEnv(sandbox, 'detached'));
  const id = run.code === 0 ? (JSON.parse(run.stdout) as { id?: string }).id : undefined;
  if (!id)
    throw new Error(`${form.name}: exit ${run.code}, printed ${JSON.stringify(run.stderr.slice(0, 200))}`);
  const stopped = await withBackendEnv(sandbox, 'detached', () =>
    controlInstance(sandbox.stateRoot, id, 'stop'),
  );
  if (!stopped.ok) throw new Error(`${form.name}: the stop of ${id} did not end cleanly`);
  return run.ms;
}

// A cell of per-round ratios in percent (top / bottom of the same round), with the issue's target.
export function addRatioCell(
  results: Results,
  name: string,
  top: number[],
  bottom: number[],
  maxPercent: number,
): void {
  addCell(results, {
    area: 'cli',
    name,
    unit: '%',
    samples: top.map((t, i) => (100 * t) / (bottom[i] ?? Number.NaN)),
    target: { stat: 'p50', max: maxPercent, label: `issue 26: ≤ ${maxPercent}%` },
  });
}
