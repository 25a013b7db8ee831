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
  ['env', ['env', 'abc'], { command: 'env', id: 'abc' }],
  ['status', ['status'], { command: 'status', id: undefined, json: false }],
  ['status ID --json', ['status', 'abc', '--json'], { command: 'status', id: 'abc', json: true }],
  ['list --json', ['list', '--json'], { command: 'list', json: true }],
  ['gc --dry-run', ['gc', '--dry-run'], { command: 'gc', dryRun: true }],
  ['snapshots list', ['snapshots', 'list'], { command: 'snapshots', action: 'list', json: false }],
  [
    'up --migrate DIR --migrate-hash twice --pool',
    ['up', '--migrate', 'db/migrations', '--migrate-hash', 'a.json', '--migrate-hash', 'lib', '--pool', '4'],
    {
      command: 'up',
      format: 'text',
      options: {
        ...base,
        driver: 'postgresql',
        args: [],
        snapshot: true,
        migrate: 'db/migrations',
        migrateHash: ['a.json', 'lib'],
        pool: 4,
      },
    },
  ],
  [
    'exec --migrate-command --migrate-hash (one) --pool 0',
    [
      'exec',
      '--migrate-command',
      'npx knex migrate:latest',
      '--migrate-hash',
      'migrations',
      '--pool',
      '0',
      '--',
      'npm',
      'test',
    ],
    {
      command: 'exec',
      argv: ['npm', 'test'],
      options: {
        ...base,
        driver: 'postgresql',
        args: [],
        snapshot: true,
        parent: process.pid,
        lifeline: true,
        migrate: { command: 'npx knex migrate:latest' },
        migrateHash: ['migrations'],
        pool: 0,
      },
    },
  ],
  ['db create ID', ['db', 'create', 'pg-1'], { command: 'db', action: 'create', id: 'pg-1', format: 'text' }],
  [
    'db create ID --name --format json',
    ['db', 'create', 'pg-1', '--name', 'case_7', '--format', 'json'],
    { command: 'db', action: 'create', id: 'pg-1', name: 'case_7', format: 'json' },
  ],
  [
    'db drop ID NAME',
    ['db', 'drop', 'pg-1', 'qdw_0a1b2c3d4e'],
    { command: 'db', action: 'drop', id: 'pg-1', name: 'qdw_0a1b2c3d4e' },
  ],
  ['db list ID', ['db', 'list', 'pg-1'], { command: 'db', action: 'list', id: 'pg-1', json: false }],
  [
    'db list ID --json',
    ['db', 'list', 'pg-1', '--json'],
    { command: 'db', action: 'list', id: 'pg-1', json: true },
  ],
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
  ['--pool -1', ['up', '--pool', '-1'], /^--pool: "-1" is not valid: expected a whole number from 0 to 32$/],
  [
    '--pool 99 (over POOL_MAX)',
    ['up', '--pool', '99'],
    /^--pool: "99" is not valid: expected a whole number from 0 to 32$/,
  ],
  ['--pool 1.5', ['exec', '--pool', '1.5', '--', 'true'], /^--pool: "1.5" is not valid/],
  [
    '--migrate with --migrate-command',
    ['up', '--migrate', 'm', '--migrate-command', 'node migrate.js'],
    /^--migrate-command: "node migrate.js" is not valid: cannot be combined with --migrate/,
  ],
  [
    '--migrate given twice',
    ['up', '--migrate', 'a', '--migrate', 'b'],
    /^--migrate: \["a","b"\] is not valid: give it once/,
  ],
  [
    'generate --migrate (a unit cannot run migrations)',
    ['generate', 'systemd', '--migrate', 'm'],
    /^--migrate: "m" is not valid: generate cannot run migrations/,
  ],
  [
    'generate --migrate-command',
    ['generate', 'systemd', '--migrate-command', 'node m.js'],
    /^--migrate-command: "node m.js" is not valid: generate cannot run migrations/,
  ],
  ['generate --pool', ['generate', 'launchd', '--pool', '2'], /^--pool: "2" is not valid: generate /],
  [
    'generate --migrate-hash',
    ['generate', 'systemd', '--migrate-hash', 'x'],
    /^--migrate-hash: "x" is not valid: generate /,
  ],
  [
    'db create without ID',
    ['db', 'create'],
    /^ID: undefined is not valid: db create needs the id of a running instance/,
  ],
  ['db without an action', ['db'], /Not enough non-option arguments/],
  [
    'db with an unknown action',
    ['db', 'make', 'pg-1'],
    /Argument: action, Given: "make", Choices: "create", "drop", "list"/,
  ],
  [
    'db drop without NAME',
    ['db', 'drop', 'pg-1'],
    /^NAME: undefined is not valid: db drop needs the name of the database/,
  ],
  [
    'db drop with an invalid NAME',
    ['db', 'drop', 'pg-1', 'Bad-Name'],
    /^NAME: "Bad-Name" is not valid: expected 1-63 lower-case/,
  ],
  [
    'db create with an invalid --name',
    ['db', 'create', 'pg-1', '--name', 'x;drop'],
    /^--name: "x;drop" is not valid/,
  ],
  [
    'db create with a NAME positional',
    ['db', 'create', 'pg-1', 'foo'],
    /^NAME: "foo" is not valid: db create takes the name by --name/,
  ],
  [
    'db list --format',
    ['db', 'list', 'pg-1', '--format', 'json'],
    /^--format: "json" is not valid: only db create takes --format/,
  ],
  [
    'db create --json',
    ['db', 'create', 'pg-1', '--json'],
    /^--json: true is not valid: only db list takes --json/,
  ],
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
