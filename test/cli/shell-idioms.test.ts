// `up` in the shell idioms people type (`$(…)`, `$(… | jq)`, `| tee`, `| head`, `eval "$(… --format env)"`, npx), in
// bash and dash: the instance is bound to the shell that typed them and dies with it; refused where none is known.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { requireOrSkip, scratchDir } from '../helpers/env.js';
import { checkBoundToShell, has, startShell } from '../helpers/shell.js';

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
    const started = startShell(t, ['script', '-qfec', `${sh} -i`, '/dev/null'], { input: typed });
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
  assert.equal(existsSync(join(started.stateRoot, started.id)), false, 'nothing was started');
});
