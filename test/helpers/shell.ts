// A real shell typing `quickdb-watcher up` in a fresh project (as root or as another user), and the check that the
// instance is bound to that shell: alive after the command returned, gone once the shell is.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { type CliResult, runCli } from './cli.js';
import { CLI, FIXTURES, scratchDir, stateRoot, testBase } from './env.js';
import { waitFor } from './poll.js';
import { isRunning, killIfRunning } from './proc.js';

// True when `cmd` is on PATH.
export const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** `up` as a user types it in a shell that has QDW, ID, NODE and SERVER (see {@link startShell}). */
export const TYPED_UP = `"$QDW" up command --id "$ID" --ready-log '^READY$' --stop-grace 500 -- "$NODE" "$SERVER" polite`;

// `text` as one single-quoted shell word.
export const quote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

// The uid of a local user, or null when there is none by that name.
export function findUid(user: string): number | null {
  const r = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : null;
}

/** A shell started by {@link startShell}: its output so far, the instance id it was given, and where that lives. */
export interface Started {
  shell: ChildProcess;
  output: () => string;
  id: string;
  stateRoot: string;
  /** Run the CLI as the shell's user, against its state root. */
  cli: (args: string[]) => Promise<CliResult>;
}

let counter = 0;

// A project dir whose `quickdb-watcher` (on PATH, and in node_modules/.bin for npx) is this build; readable by all
// when another user is to run it.
function makeProject(t: TestContext, shared: boolean): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = scratchDir(t, 'project-');
  if (shared) chmodSync(dir, 0o755);
  const bin = join(dir, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true, mode: 0o755 });
  writeFileSync(join(dir, 'package.json'), '{"name":"idioms","version":"1.0.0","private":true}\n');
  writeFileSync(join(bin, 'quickdb-watcher'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'quickdb-watcher'), 0o755);
  const npm = {
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_cache: join(dir, '.npm'),
  };
  const path = `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`;
  const qdw = join(bin, 'quickdb-watcher');
  return { dir, env: { ...process.env, ...npm, PATH: path, QDW: qdw, NODE: process.execPath, HISTFILE: '' } };
}

/** A state root and RAM root of another user, for its instances (they cannot live in ours). */
export interface UserRoots {
  /** QUICKDB_WATCHER_STATE, QUICKDB_WATCHER_RAM_DIR and TMPDIR, to add to an environment. */
  env: Record<string, string>;
  stateRoot: string;
}

// Kill instance `id` under `root` if it is still there (as `user`, whose CLI can use that root).
async function killLeftover(root: string, id: string, env: NodeJS.ProcessEnv, user?: string): Promise<void> {
  if (existsSync(join(root, id))) await runCli(['kill', id], env, user);
}

// A state root and RAM root owned by `user`; after t, instance `id` in it is killed (by that user) and both go.
export function makeUserRoots(t: TestContext, user: string, id: string): UserRoots {
  const uid = findUid(user);
  if (uid === null) throw new Error(`no user ${user} on this machine`);
  const base = mkdtempSync(join(testBase(), `user-${user}-`));
  chmodSync(base, 0o755);
  const stateRoot = join(base, 'state');
  const env = { QUICKDB_WATCHER_STATE: stateRoot, QUICKDB_WATCHER_RAM_DIR: join(base, 'ram') };
  for (const dir of Object.values(env)) {
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, uid, uid);
  }
  const vars = { ...env, TMPDIR: env.QUICKDB_WATCHER_RAM_DIR };
  t.after(async () => {
    await killLeftover(stateRoot, id, { ...process.env, ...vars }, user);
    rmSync(base, { recursive: true, force: true });
  });
  return { env: vars, stateRoot };
}

/** How {@link startShell} runs: what to type on stdin, and the user whose instance it makes (default: ours). */
export interface ShellOptions {
  input?: string;
  user?: string;
}

// Start `argv` (a shell) in a fresh project with ID, NODE, QDW (the CLI's path) and SERVER set; after t, the shell is
// stopped and its instance killed (by its own user), whatever the outcome.
export function startShell(t: TestContext, argv: string[], options: ShellOptions = {}): Started {
  const { user } = options;
  const { dir, env } = makeProject(t, user !== undefined);
  const id = `shell-${process.pid}-${++counter}`;
  let shell: ChildProcess | null = null;
  // Registered before the user's roots, so the shell is gone before its instance is killed and its roots removed.
  t.after(() => {
    shell?.stdin?.end();
    killIfRunning(shell?.pid);
  });
  const roots = user ? makeUserRoots(t, user, id) : { env: {}, stateRoot: stateRoot() };
  const fullEnv = { ...env, ...roots.env, ID: id, SERVER: join(FIXTURES, 'server.mjs') };
  if (!user) t.after(() => killLeftover(roots.stateRoot, id, fullEnv));
  const cli = (args: string[]) => runCli(args, fullEnv, user);
  shell = spawn(argv[0] as string, argv.slice(1), {
    cwd: dir,
    env: fullEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let text = '';
  shell.stdout?.on('data', (d) => (text += d));
  shell.stderr?.on('data', (d) => (text += d));
  if (options.input) shell.stdin?.write(options.input);
  return { shell, output: () => text, id, stateRoot: roots.stateRoot, cli };
}

// Wait for the shell's `shell=PID` line; the instance must be bound to that pid, alive now that the command and any
// wrapper or subshell around it are gone, and gone once `finish` has ended the shell.
export async function checkBoundToShell(started: Started, finish: () => void): Promise<void> {
  const { shell, output, id } = started;
  const line = await waitFor(
    'the script to print its pid',
    () => {
      if (shell.exitCode !== null) throw new Error(`the shell exited early (${shell.exitCode}): ${output()}`);
      return /shell=(\d+)/.exec(output());
    },
    60_000,
  );
  const shellPid = Number(line[1]);
  const dir = join(started.stateRoot, id);
  assert.ok(existsSync(join(dir, 'spec.json')), `the instance is there after the command\n${output()}`);
  const spec = JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8'));
  assert.equal(spec.parent?.pid, shellPid, `the parent is the shell that typed the command\n${output()}`);
  const status = await started.cli(['status', id]);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, new RegExp(`parent\\s+${shellPid} alive`));
  const { watcherPid, serverPid } = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8'));
  assert.ok(isRunning(watcherPid) && isRunning(serverPid), `the instance outlives the command\n${output()}`);
  finish();
  await waitFor(
    'the instance to go with its shell',
    () => !isRunning(watcherPid) && !isRunning(serverPid),
    30_000,
  );
}
