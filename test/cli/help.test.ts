// Every command's --help, read as a new user reads it: no internal names, and generate's defaults as they are.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCli } from '../../dist/cli/main.js';

// The help text yargs prints for argv (parseCli returns null when it printed help instead of a call).
async function readHelp(argv: string[]): Promise<string> {
  let text = '';
  assert.equal(
    await parseCli(
      argv,
      () => 4242,
      (t) => (text += t),
    ),
    null,
  );
  return text;
}

/** Names from the code or the design notes (snake_case like stop_sig), not words a user types; db names are. */
const INTERNAL = /\b(?!qdw_)[a-z]+(?:_[a-z]+)+\b/;

test('help: every command has help without internal names', async () => {
  const top = await readHelp(['--help']);
  const commands = [...top.matchAll(/^ {2}quickdb-watcher (\S+)/gm)].map((m) => m[1] as string);
  assert.ok(commands.includes('up') && commands.includes('db') && commands.length >= 12, top);
  assert.doesNotMatch(top, INTERNAL);
  for (const command of commands) {
    const help = await readHelp([command, '--help']);
    assert.match(help, new RegExp(`^quickdb-watcher ${command}\\b`), help);
    assert.doesNotMatch(help, INTERNAL, `${command} --help`);
  }
});

test('help: the stop graces are told in words, not by signal variable names', async () => {
  const help = await readHelp(['up', '--help']);
  assert.match(help, /--stop-grace +ms from the server's graceful stop signal to its fast one/);
  assert.match(help, /--fast-grace +ms from the server's fast stop signal to SIGKILL/);
});

test('help: generate says its parent defaults to none and lists no option it refuses', async () => {
  const help = await readHelp(['generate', '--help']);
  assert.match(help, /--parent +pid the instance lives with \(default: none\)/);
  assert.doesNotMatch(help, /calling process/);
  for (const refused of ['--backend', '--migrate', '--migrate-command', '--migrate-hash', '--pool']) {
    assert.doesNotMatch(help, new RegExp(`^ +${refused}\\b`, 'm'), `${refused} is not listed`);
  }
  assert.match(help, /target +a systemd unit file, a systemd-run script or a launchd plist/);
});

test('help: up keeps --backend and its default parent', async () => {
  const help = await readHelp(['up', '--help']);
  assert.match(help, /^ +--backend\b/m);
  assert.match(help, /^ +--parent\b/m);
});

// Each option's block of a help text (its line and the wrapped lines under it), by flag.
function readOptionBlocks(help: string): Map<string, string> {
  const blocks = new Map<string, string>();
  let current: string | null = null;
  for (const line of help.split('\n')) {
    const flag = /^ {2}(--[a-z-]+)/.exec(line)?.[1];
    if (flag) {
      current = flag;
      blocks.set(flag, line);
    } else if (current && /^ {3,}\S/.test(line)) blocks.set(current, `${blocks.get(current)}\n${line}`);
    else current = null;
  }
  return blocks;
}

test('help: numeric options say [number] (they are still checked as typed)', async () => {
  const blocks = readOptionBlocks(await readHelp(['up', '--help']));
  const numeric = [
    '--stop-grace',
    '--fast-grace',
    '--poll',
    '--ready-port',
    '--ready-timeout',
    '--port',
    '--pool',
  ];
  for (const flag of numeric) assert.match(blocks.get(flag) ?? '', /\[number\]/, flag);
  assert.match(blocks.get('--id') ?? '', /\[string\]/);
});

test('help: only the top level lists --version', async () => {
  assert.match(await readHelp(['--help']), /^ {2}--version\b/m);
  for (const command of ['up', 'exec', 'stop', 'status', 'list', 'snapshots', 'db', 'generate']) {
    assert.doesNotMatch(await readHelp([command, '--help']), /--version/, `${command} --help`);
  }
});

test('help: completion --help is help, not the script', async () => {
  const help = await readHelp(['completion', '--help']);
  assert.match(help, /^quickdb-watcher completion\b/, help);
  assert.match(help, /bash or zsh completion script/);
  assert.doesNotMatch(help, /begin-quickdb-watcher-completions/);
});
