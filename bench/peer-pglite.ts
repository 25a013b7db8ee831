// Peers area, the PGlite rows: `PGlite.create()` + `select 1` in this process (like our library row), and a whole
// `node -e` process that imports PGlite, creates, selects and exits (like a test process); its RSS as a fact.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { type PeerRow, pollUntil, type Started, stopChild } from './peer-pg.js';
import { findPglite, type PgliteDep } from './pglite.js';
import type { Results } from './record.js';
import type { Sandbox } from './sandbox.js';
import { summarize } from './stats.js';

/** The whole-process row's program: argv[1] is the file URL of PGlite's ESM entry. */
const CHILD = `const { PGlite } = await import(process.argv[1]);
const db = await PGlite.create();
const { rows } = await db.query('select 1 as one');
process.stdout.write(JSON.stringify({ one: rows[0].one, rss: process.memoryUsage().rss }) + '\\n');
await db.close();`;

/** The in-process row's helper: imports PGlite once, then per line on stdin creates, selects, answers, closes. */
const SERVER = `const { PGlite } = await import(process.argv[1]);
const { createInterface } = await import('node:readline');
for await (const _ of createInterface({ input: process.stdin })) {
  const db = await PGlite.create();
  const { rows } = await db.query('select 1 as one');
  process.stdout.write(JSON.stringify({ one: rows[0].one }) + '\\n');
  await db.close();
}`;

// Start the helper process (untimed, before the first round).
function spawnServer(dep: PgliteDep, sandbox: Sandbox): ChildProcess {
  return spawn(process.execPath, ['--input-type=module', '-e', SERVER, dep.entry], {
    cwd: sandbox.scratch,
    env: { ...process.env, TMPDIR: sandbox.scratch },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

// Ask the helper for one instance; resolves with its answer line.
function askServer(child: ChildProcess): Promise<{ one: unknown }> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (!out.includes('\n')) return;
      child.stdout?.off('data', onData);
      try {
        resolve(JSON.parse(out.split('\n')[0] as string));
      } catch (error) {
        reject(new Error(`the PGlite helper printed ${out.slice(0, 200)}`, { cause: error }));
      }
    };
    child.stdout?.on('data', onData);
    child.stdin?.write('go\n');
  });
}

// The child's one JSON line ({one, rss}); rejects with its stderr when it exits or fails before printing it.
function readAnswer(child: ChildProcess): Promise<{ one: unknown; rss: number }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-2000);
    });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n', 2);
      if (line.length < 2) return;
      try {
        resolve(JSON.parse(line[0] as string));
      } catch (error) {
        reject(new Error(`the PGlite process printed ${out.slice(0, 200)}`, { cause: error }));
      }
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`the PGlite process exited ${code ?? signal} before answering: ${err}`)),
    );
  });
}

// Wait (untimed) for the child to exit by itself after closing PGlite; SIGKILL after 60 s; throws unless it exited 0.
async function awaitExit(child: ChildProcess): Promise<void> {
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  await pollUntil(exited, 'the PGlite process to exit').catch(() => stopChild(child, 'SIGKILL'));
  if (child.exitCode !== 0)
    throw new Error(`the PGlite process exited ${child.exitCode ?? child.signalCode}`);
}

// A fresh `node -e` that imports PGlite, creates an in-memory instance, answers `select 1`, then exits (untimed).
function startProcess(dep: PgliteDep, sandbox: Sandbox, rss: number[]): Started {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, dep.entry], {
    cwd: sandbox.scratch,
    env: { ...process.env, TMPDIR: sandbox.scratch },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const answer = readAnswer(child);
  answer.catch(() => {}); // read by select1; a late exit must not count as unhandled
  return {
    where: 'memory (a fresh node process)',
    dirs: [],
    select1: async () => {
      const r = await answer;
      if (r.one !== 1) throw new Error(`the PGlite process answered ${JSON.stringify(r.one)} to select 1`);
      rss.push(Math.round(r.rss / 2 ** 20));
    },
    stop: () => awaitExit(child),
  };
}

// RSS of a bare `node -e` (MB), for scale beside PGlite's.
function measureBareNodeRss(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.memoryUsage().rss))'], {
    encoding: 'utf8',
  });
  return Math.round(Number(r.stdout) / 2 ** 20);
}

// The two PGlite rows (skipped loudly, with the install command, when PGlite is not found).
export function makePgliteRows(sandbox: Sandbox, results: Results): PeerRow[] {
  const dep = findPglite();
  const found = 'entry' in dep ? dep : null;
  const skip = found ? {} : { skip: (dep as { skip: string }).skip };
  const version = found ? `@electric-sql/pglite ${found.version} from ${found.from}, ` : '';
  const rss: number[] = [];
  let server: ChildProcess | null = null;
  const inProcess: PeerRow = {
    name: 'PGlite in a test process: `await PGlite.create()` (in memory) + `select 1`',
    note: `${version}module imported once before (untimed), as our library row's is; run in a helper node process, so the instances it held never weigh on the bench process (they slowed our library row by ~80 ms)`,
    ...skip,
    open: async () => {
      server = spawnServer(found as PgliteDep, sandbox);
    },
    start: async (): Promise<Started> => {
      if (!server) throw new Error('the PGlite helper is not running');
      const answer = askServer(server);
      return {
        where: 'memory (a helper node process)',
        dirs: [],
        select1: async () => {
          if ((await answer).one !== 1) throw new Error('the PGlite helper did not answer 1');
        },
        stop: async () => {},
      };
    },
    close: async () => {
      server?.stdin?.end();
      if (server) await awaitExit(server);
    },
  };
  const wholeProcess: PeerRow = {
    name: 'PGlite whole process: `node -e` import + `PGlite.create()` + `select 1` (exit untimed)',
    note: `${version}a fresh process each time`,
    ...skip,
    start: async () => startProcess(found as PgliteDep, sandbox, rss),
    close: async () => {
      const s = summarize(rss);
      results.facts['peers: RSS of a node process holding one in-memory PGlite after select 1, MB'] = {
        p50: s.p50,
        max: s.max,
        n: s.n,
        bareNodeMb: measureBareNodeRss(),
      };
    },
  };
  return [inProcess, wholeProcess];
}
