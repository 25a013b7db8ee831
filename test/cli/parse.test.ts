// Table-driven: argv in, the call (options) each command receives out; bad argv rejected naming the option.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCli } from '../../dist/cli/main.js';

const requester = (): number => 4242;
const quiet = (): void => {};

const base = { cleanup: true, lifeline: false, backend: 'auto', parent: 4242 };

const table: [string, string[], unknown][] = [
  [
    'up defaults to postgresql',
    ['up'],
    { command: 'up', format: 'text', options: { ...base, driver: 'postgresql', args: [], snapshot: true } },
  ],
  [
    'up command with server argv and options',
    [
      'up',
      'command',
      '--stop-grace',
      '500',
      '--id',
      'x1',
      '--ready-port',
      '8080',
      '--format',
      'json',
      '--',
      'srv',
      '-p',
      '8080',
    ],
    {
      command: 'up',
      format: 'json',
      options: {
        ...base,
        driver: 'command',
        args: ['srv', '-p', '8080'],
        snapshot: true,
        stopGraceMs: 500,
        id: 'x1',
        readyPort: 8080,
      },
    },
  ],
  [
    'up --no-cleanup --parent none --backend detached',
    ['up', 'redis', '--no-cleanup', '--parent', 'none', '--backend', 'detached', '--port', '0'],
    {
      command: 'up',
      format: 'text',
      options: {
        ...base,
        driver: 'redis',
        args: [],
        snapshot: true,
        cleanup: false,
        parent: 'none',
        backend: 'detached',
        port: 0,
      },
    },
  ],
  [
    'up --data-dir --fast-grace --poll --stop-signal --ready-log --no-snapshot',
    [
      'up',
      'command',
      '--data-dir',
      '/tmp/d',
      '--fast-grace',
      '0',
      '--poll',
      '1000',
      '--stop-signal',
      'INT',
      '--ready-log',
      'ok$',
      '--no-snapshot',
      '--',
      'x',
    ],
    {
      command: 'up',
      format: 'text',
      options: {
        ...base,
        driver: 'command',
        args: ['x'],
        dataDir: '/tmp/d',
        fastGraceMs: 0,
        pollMs: 1000,
        stopSignal: 'INT',
        readyLog: 'ok$',
        snapshot: false,
      },
    },
  ],
  [
    'exec binds to itself with a lifeline and runs the server through sh for the command driver',
    ['exec', 'command', '--server', 'redis-server --port 7001', '--', 'npm', 'test'],
    {
      command: 'exec',
      argv: ['npm', 'test'],
      options: {
        ...base,
        driver: 'command',
        args: ['sh', '-c', 'exec redis-server --port 7001'],
        snapshot: true,
        parent: process.pid,
        lifeline: true,
      },
    },
  ],
  [
    'generate systemd-run --out --templates (no --parent given)',
    ['generate', 'systemd-run', 'command', '--out', 'units', '--templates', 'tpl', '--', 'srv'],
    {
      command: 'generate',
      target: 'systemd-run',
      options: { ...base, driver: 'command', args: ['srv'], snapshot: true },
      parentGiven: false,
      out: 'units',
      templates: 'tpl',
    },
  ],
  [
    'generate launchd --parent',
    ['generate', 'launchd', 'redis', '--parent', '77'],
    {
      command: 'generate',
      target: 'launchd',
      options: { ...base, driver: 'redis', args: [], snapshot: true, parent: 77 },
      parentGiven: true,
    },
  ],
  ['stop', ['stop', 'abc'], { command: 'stop', id: 'abc', keep: false }],
  ['stop --keep', ['stop', 'abc', '--keep'], { command: 'stop', id: 'abc', keep: true }],
  ['kill', ['kill', 'abc'], { command: 'kill', id: 'abc' }],
  ['quiet', ['quiet', 'abc'], { command: 'quiet', id: 'abc' }],
  ['status', ['status'], { command: 'status', id: undefined, json: false }],
  ['status ID --json', ['status', 'abc', '--json'], { command: 'status', id: 'abc', json: true }],
  ['list --json', ['list', '--json'], { command: 'list', json: true }],
  ['gc --dry-run', ['gc', '--dry-run'], { command: 'gc', dryRun: true }],
  ['snapshots list', ['snapshots', 'list'], { command: 'snapshots', action: 'list', json: false }],
];

for (const [name, argv, expected] of table) {
  test(`parse: ${name}`, async () => {
    assert.deepEqual(await parseCli(argv, requester, quiet), expected);
  });
}

const bad: [string, string[], RegExp][] = [
  ['unknown command with a suggestion', ['lsit'], /unknown command "lsit"\. Did you mean list\?/],
  ['unknown option', ['up', '--colour'], /Unknown argument: colour/],
  [
    'bad --format',
    ['up', '--format', 'xml'],
    /Argument: format, Given: "xml", Choices: "text", "json", "env"/,
  ],
  [
    'bad --backend',
    ['up', '--backend', 'docker'],
    /Argument: backend, Given: "docker", Choices: "auto", "systemd", "systemd-system", "launchd", "detached"/,
  ],
  [
    'bad --stop-grace',
    ['up', '--stop-grace', '1.5s'],
    /--stop-grace: "1.5s" is not valid: expected whole milliseconds/,
  ],
  [
    '--poll below 10 ms (busy polling)',
    ['up', '--poll', '0'],
    /--poll: "0" is not valid: expected whole milliseconds from 10 to 60000/,
  ],
  ['--stop-grace in exponent form', ['up', '--stop-grace', '1e3'], /--stop-grace: "1e3" is not valid/],
  [
    'bad --parent',
    ['up', '--parent', 'me'],
    /--parent: "me" is not valid: expected a process id .* or "none"/,
  ],
  [
    'bad --ready-port',
    ['up', 'command', '--ready-port', '70000', '--', 'x'],
    /--ready-port: "70000" is not valid: expected a port from 1 to 65535/,
  ],
  [
    '--ready-port 0 (a free port cannot be awaited)',
    ['up', 'command', '--ready-port', '0', '--', 'x'],
    /^--ready-port: "0" is not valid: expected a port from 1 to 65535$/,
  ],
  [
    'bad --port',
    ['up', 'redis', '--port', '70000'],
    /^--port: "70000" is not valid: expected a port from 1 to 65535, or 0 to pick a free one$/,
  ],
  [
    'bad generate target',
    ['generate', 'upstart'],
    /Argument: target, Given: "upstart", Choices: "systemd", "systemd-run", "launchd"/,
  ],
  ['stop without id', ['stop'], /Not enough non-option arguments/],
  ['exec without CMD', ['exec'], /-- CMD: \[\] is not valid: exec needs the command to run after "--"/],
  [
    'exec command without --server',
    ['exec', 'command', '--', 'true'],
    /--server: undefined is not valid: exec with the command driver needs --server/,
  ],
  ['no command', [], /name a command: up, exec, stop/],
];

for (const [name, argv, message] of bad) {
  test(`parse rejects: ${name}`, async () => {
    await assert.rejects(parseCli(argv, requester, quiet), (error: Error & { exitCode?: number }) => {
      assert.equal(error.exitCode, 2);
      assert.match(error.message, message);
      return true;
    });
  });
}
