// Shell completion: the words offered after `quickdb-watcher …` as a shell asks for them, and the bash script.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { runCli } from '../helpers/cli.js';
import { CLI, scratchDir } from '../helpers/env.js';

const run = promisify(execFile);

// A state root of its own holding two instance dirs and a bookkeeping dot-dir.
function makeStateRoot(t: Parameters<typeof scratchDir>[0]): string {
  const root = join(scratchDir(t, 'completion-'), 'state');
  for (const dir of ['pg-aaa111', 'redis-bbb222', '.spares']) mkdirSync(join(root, dir), { recursive: true });
  return root;
}

// The offers for words, asked as the completion script asks (program name first).
async function offer(words: string[], stateRoot: string): Promise<string[]> {
  const env = { ...process.env, QUICKDB_WATCHER_STATE: stateRoot };
  const r = await runCli(['--get-yargs-completions', 'quickdb-watcher', ...words], env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout.split('\n').filter(Boolean);
}

const table: [string, string[], string[]][] = [
  [
    'commands',
    [''],
    [
      'up',
      'exec',
      'generate',
      'stop',
      'kill',
      'quiet',
      'rm',
      'status',
      'list',
      'env',
      'gc',
      'snapshots',
      'db',
      'completion',
    ],
  ],
  ['a command by its start', ['st'], ['stop', 'status']],
  ['drivers after up', ['up', 'po'], ['postgresql']],
  ['drivers after exec', ['exec', ''], ['command', 'postgresql', 'redis', 'mariadb', 'mysql']],
  ['targets after generate', ['generate', 'sys'], ['systemd', 'systemd-run']],
  ['drivers after generate TARGET', ['generate', 'launchd', 'm'], ['mariadb', 'mysql']],
  ['drivers after an option and its value', ['up', '--data-dir', '/x', 'r'], ['redis']],
  ['ids after stop', ['stop', ''], ['pg-aaa111', 'redis-bbb222']],
  ['ids after a flag that takes no value', ['stop', '--keep', 'p'], ['pg-aaa111']],
  ['ids after kill, quiet, status, env', ['env', 'r'], ['redis-bbb222']],
  ['db actions, then ids', ['db', ''], ['create', 'drop', 'list']],
  ['ids after db ACTION', ['db', 'list', 'p'], ['pg-aaa111']],
  ['snapshots actions', ['snapshots', ''], ['list', 'clear']],
  ['an option by its start', ['up', '--form'], ['--format']],
  ['the choices of the option before', ['up', '--format', ''], ['text', 'json', 'env', 'github-env']],
  ['nothing after --', ['exec', '--', 'n'], []],
  ['nothing for a value without choices', ['up', '--data-dir', ''], []],
];

for (const [name, words, expected] of table) {
  test(`completion offers ${name}`, async (t) => {
    assert.deepEqual(await offer(words, makeStateRoot(t)), expected);
  });
}

test('completion: the words without the program name (as `--get-yargs-completions up po`)', async (t) => {
  const r = await runCli(['--get-yargs-completions', 'up', 'po'], {
    ...process.env,
    QUICKDB_WATCHER_STATE: makeStateRoot(t),
  });
  assert.equal(r.stdout, 'postgresql\n');
});

test('completion: the bash script, sourced, completes drivers and ids through COMP_WORDS', async (t) => {
  const dir = scratchDir(t, 'completion-bin-');
  const bin = join(dir, 'quickdb-watcher');
  writeFileSync(bin, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`);
  chmodSync(bin, 0o755);
  const env = { ...process.env, PATH: `${dir}:${process.env.PATH}`, QUICKDB_WATCHER_STATE: makeStateRoot(t) };
  const script = [
    'eval "$(quickdb-watcher completion)"',
    'complete -p quickdb-watcher',
    'ask() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=();',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash expansion, not a template
    '  _quickdb-watcher_yargs_completions; echo "$*: ${COMPREPLY[*]}"; }',
    'ask quickdb-watcher up po',
    'ask quickdb-watcher stop ""',
    'ask quickdb-watcher sto',
  ].join('\n');
  const { stdout } = await run('bash', ['-c', script], { env });
  assert.match(stdout, /^complete .*-F _quickdb-watcher_yargs_completions quickdb-watcher$/m);
  assert.match(stdout, /^quickdb-watcher up po: postgresql$/m);
  assert.match(stdout, /^quickdb-watcher stop : pg-aaa111 redis-bbb222$/m);
  assert.match(stdout, /^quickdb-watcher sto: stop$/m);
});

test('completion: zsh gets the zsh script', async () => {
  const r = await runCli(['completion'], { ...process.env, SHELL: '/bin/zsh' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^#compdef quickdb-watcher$/m);
  assert.match(r.stdout, /quickdb-watcher --get-yargs-completions/);
});
