// `up` in the shell idioms people type (`$(…)`, `$(… | jq)`, `| tee`, `| head`, `eval "$(… --format env)"`, npx), in
// bash and dash: the instance is bound to the shell that typed them and dies with it; refused where none is known.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { CLI, FIXTURES, requireOrSkip, scratchDir, stateRoot } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { isRunning, killIfRunning } from '../helpers/proc.js';

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const SHELLS = ['bash', 'dash'] as const;
// The field a pipe picks out of `--format json` (jq where installed, as the line has it; else sed).
const PICK_ID = has('jq') ? 'jq -r .id' : `sed -n 's/.*"id": *"\\([^"]*\\)".*/\\1/p'`;
const UP = `up command --id "$ID" --ready-log '^READY$' --stop-grace 500`;
const SERVER = '-- "$NODE" "$SERVER" polite';

/** Each idiom as one line of shell, with `$Q` the command that runs the CLI (`quickdb-watcher` or `npx …`). */
const IDIOMS: Record<string, string> = {
  '$(up)': `X=$($Q ${UP} --format json ${SERVER})`,
  [`$(up | ${PICK_ID.split(' ')[0]})`]: `X=$($Q ${UP} --format json ${SERVER} | ${PICK_ID})`,
  'up | tee': `$Q ${UP} --format json ${SERVER} | tee "$ID.json" >/dev/null`,
  'up | head': `$Q ${UP} ${SERVER} | head -n 1 >/dev/null`,
  'eval "$(up --format env)"': `eval "$($Q ${UP} --format env ${SERVER})"; test "$QUICKDB_ID" = "$ID"`,
};

let counter = 0;
stateRoot();

// A project dir whose `quickdb-watcher` (on PATH, and in node_modules/.bin for npx) is this build.
function makeProject(t: TestContext): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = scratchDir(t, 'idioms-');
  const bin = join(dir, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"idioms","version":"1.0.0","private":true}\n');
  writeFileSync(join(bin, 'quickdb-watcher'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'quickdb-watcher'), 0o755);
  const npm = {
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_cache: join(dir, '.npm'),
  };
  const path = `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`;
  return { dir, env: { ...process.env, ...npm, PATH: path, NODE: process.execPath, HISTFILE: '' } };
}

interface Started {
  shell: ReturnType<typeof spawn>;
  output: () => string;
  id: string;
}

// Start `argv` (a shell) in a fresh project with ID, NODE and SERVER set; stopped and its instance killed after t.
function startShell(t: TestContext, argv: string[], input = ''): Started {
  const { dir, env } = makeProject(t);
  const id = `idiom-${process.pid}-${++counter}`;
  const shell = spawn(argv[0] as string, argv.slice(1), {
    cwd: dir,
    env: { ...env, ID: id, SERVER: join(FIXTURES, 'server.mjs') },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let text = '';
  shell.stdout?.on('data', (d) => (text += d));
  shell.stderr?.on('data', (d) => (text += d));
  if (input) shell.stdin?.write(input);
  t.after(async () => {
    shell.stdin?.end();
    killIfRunning(shell.pid);
    if (existsSync(join(stateRoot(), id))) await runCli(['kill', id]);
  });
  return { shell, output: () => text, id };
}

// Wait for the script's `shell=PID` line; the instance must be bound to that pid, alive now that the idiom's
// subshells are gone, and gone once `finish` has ended the shell.
async function checkBoundToShell(started: Started, finish: () => void): Promise<void> {
  const { shell, output, id } = started;
  const line = await waitFor('the script to print its pid', () => {
    if (shell.exitCode !== null) throw new Error(`the shell exited early (${shell.exitCode}): ${output()}`);
    return /shell=(\d+)/.exec(output());
  });
  const shellPid = Number(line[1]);
  const dir = join(stateRoot(), id);
  assert.ok(existsSync(join(dir, 'spec.json')), `the instance is there after the idiom\n${output()}`);
  const spec = JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8'));
  assert.equal(spec.parent?.pid, shellPid, `the parent is the shell that typed the idiom\n${output()}`);
  const status = await runCli(['status', id]);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, new RegExp(`parent\\s+${shellPid} alive`));
  const { watcherPid, serverPid } = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8'));
  assert.ok(isRunning(watcherPid) && isRunning(serverPid), 'the instance outlives the idiom');
  finish();
  await waitFor(
    'the instance to go with its shell',
    () => !isRunning(watcherPid) && !isRunning(serverPid),
    20_000,
  );
}

for (const sh of SHELLS) {
  for (const [name, line] of Object.entries(IDIOMS)) {
    for (const runner of ['quickdb-watcher', 'npx quickdb-watcher']) {
      if (runner !== 'quickdb-watcher' && !/^\$\(up \||^eval/.test(name)) continue;
      test(`${sh} script: ${runner} in ${name} is bound to the script's shell and dies with it`, async (t) => {
        if (!requireOrSkip(t, has(sh), sh)) return;
        const script = `set -e\nQ='${runner}'\n${line}\necho "shell=$$"\nread line\n`;
        const file = join(scratchDir(t), 'idiom.sh');
        writeFileSync(file, script);
        const started = startShell(t, [sh, file]);
        await checkBoundToShell(started, () => started.shell.stdin?.end());
      });
    }
  }

  const pipeInSubst = Object.values(IDIOMS)[1] as string;
  test(`${sh} -c: $(up | …) is bound to the -c shell (a script, not a wrapper) and dies with it`, async (t) => {
    if (!requireOrSkip(t, has(sh), sh)) return;
    const started = startShell(t, [
      sh,
      '-c',
      `Q=quickdb-watcher; ${pipeInSubst}; echo "shell=$$"; read line`,
    ]);
    await checkBoundToShell(started, () => started.shell.stdin?.end());
  });

  test(`${sh} interactive (a pty from script(1)): $(up | …) is bound to the interactive shell`, async (t) => {
    if (!requireOrSkip(t, has(sh) && has('script'), `${sh} and script(1)`)) return;
    const typed = `Q=quickdb-watcher; ${pipeInSubst}; echo "shell=$$"\n`;
    const started = startShell(t, ['script', '-qfec', `${sh} -i`, '/dev/null'], typed);
    await checkBoundToShell(started, () => started.shell.stdin?.write('exit\n'));
  });
}

test('up refuses (exit 2, naming --parent $$ and exec) when above it is a terminal host, not a shell', async (t) => {
  if (!requireOrSkip(t, has('script'), 'script(1)')) return;
  const started = startShell(t, ['script', '-qfec', `quickdb-watcher ${UP} ${SERVER}`, '/dev/null']);
  const code = await new Promise((resolve) => started.shell.on('exit', resolve));
  assert.equal(code, 2, started.output());
  assert.match(
    started.output(),
    /above it is process \d+ \(script\).*--parent \$\$.*`quickdb-watcher exec`/s,
  );
  assert.equal(existsSync(join(stateRoot(), started.id)), false, 'nothing was started');
});
