// The peers area's shared plumbing: the `select 1` probe every row is timed to, and running tools as the server's user.

import { type ChildProcess, type SpawnOptions, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { chooseServiceUser } from '../dist/drivers/service-user.js';
import type { Target } from './record.js';

/** Where a row's server answers: a socket dir or 127.0.0.1, and who to log in as. */
export interface PgTarget {
  host: string;
  port: number;
  user: string;
  database: string;
  password?: string;
}

/** The user servers run as (postgres when we are root), with its home; null when we are not root. */
export interface RunAs {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

const POLL_MS = 2;

// Connect, `select 1`, disconnect; retry every 2 ms until it answers (same probe for every row) or the deadline.
async function waitForSelect1(target: PgTarget, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ ...target, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (error) {
      client.end().catch(() => {});
      if (performance.now() > deadline)
        throw new Error(`select 1 never answered on ${target.host}:${target.port}`, { cause: error });
      await sleep(POLL_MS);
    }
  }
}

// Wait for a started peer's first answer to `select 1`: its own when it has one, else over its socket.
export function answerSelect1(started: Started): Promise<void> {
  if (started.select1) return started.select1();
  if (!started.target) return Promise.reject(new Error(`${started.where}: neither a target nor select1`));
  return waitForSelect1(started.target);
}

// The service user the library's driver would pick (postgres, else nobody) when root, with its home dir.
export function findRunAs(): RunAs | null {
  const user = chooseServiceUser('PostgreSQL', ['postgres', 'nobody']);
  if (!user) return null;
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === user.name);
  return { ...user, home: entry?.[5] || '/' };
}

// Environment for a tool run as `runAs`: the PostgreSQL bin dir first on PATH, and the user's own names.
export function makeToolEnv(
  runAs: RunAs | null,
  pgBin: string,
  extra: Record<string, string>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: `${pgBin}:/usr/local/bin:/usr/bin:/bin`,
    LANG: 'C.UTF-8',
    ...extra,
  };
  if (runAs) Object.assign(env, { HOME: runAs.home, USER: runAs.name, LOGNAME: runAs.name });
  else Object.assign(env, { HOME: process.env.HOME ?? '/', USER: process.env.USER ?? '' });
  return env;
}

// Spawn a tool as `runAs` (uid/gid set by spawn, supplementary groups dropped), else as ourselves.
export function spawnAs(runAs: RunAs | null, argv: string[], options: SpawnOptions): ChildProcess {
  const [cmd, ...args] = argv as [string, ...string[]];
  return spawn(cmd, args, { ...options, ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}) });
}

// Run a tool as `runAs` to its end; throws with its output when it fails.
export function runToolAs(runAs: RunAs | null, argv: string[], env: NodeJS.ProcessEnv): void {
  const [cmd, ...args] = argv as [string, ...string[]];
  const r = spawnSync(cmd, args, {
    env,
    encoding: 'utf8',
    timeout: 60_000,
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
  });
  if (r.status !== 0)
    throw new Error(`${argv.join(' ')} exited ${r.status}: ${(r.stderr || r.stdout).slice(-400)}`);
}

// Poll until `check` is true (every 20 ms), or throw naming `what` after the deadline.
export async function pollUntil(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

// Signal a child and wait for its exit (SIGKILL after 30 s).
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** One started peer: where to probe it, where its data lives, and how to stop it and remove its dirs. */
export interface Started {
  /** Where `select 1` is asked over a socket; absent for an in-process peer, which has `select1` instead. */
  target?: PgTarget;
  /** The peer's own `select 1` (PGlite: no socket); used instead of probing `target`. */
  select1?(): Promise<void>;
  /** Where the data dir is (shown in the table). */
  where: string;
  /** Dirs the peer made for this start; each must be gone after stop(). */
  dirs: string[];
  /** Throws when the server already died (the probe stops waiting). */
  check?(): void;
  stop(): Promise<void>;
}

/** A row of the peers table; `skip` says loudly why it cannot run here. */
export interface PeerRow {
  name: string;
  note: string;
  skip?: string;
  /** What the row must meet (a ratio to the area's tmpfs floor). */
  target?: Target;
  /** Untimed set-up before the first start (a helper process, a dir). */
  open?(): Promise<void>;
  start(round: number): Promise<Started>;
  /** Untimed: wait for the peer's own background work after a stop (pg_tmp's next spare). */
  settle?(): Promise<void>;
  /** Untimed: end helpers and remove the row's dirs. */
  close?(): Promise<void>;
}
