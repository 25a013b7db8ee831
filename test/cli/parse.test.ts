// Table-driven: argv in, the call (options) each command receives out; bad argv rejected naming the option.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCli } from '../../dist/cli/main.js';

const requester = (): number => 4242;
const quiet = (): void => {};

const base = { cleanup: true, lifeline: false, backend: 'auto', parent: 4242 };
/** What exec gives every server it starts: bound to exec itself, with a lifeline. */
const execBase = { ...base, args: [], snapshot: true, parent: process.pid, lifeline: true };

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
    'up --set (repeated, a later key wins) --user --password --database --auth --env --write-env',
    [
      'up',
      '--set',
      'wal_level=logical',
      '--set',
      'work_mem=4MB',
      '--set',
      'wal_level=replica',
      '--user',
      'alice',
      '--password',
      'p w=1',
      '--database',
      'app',
      '--auth',
      'password',
      '--env',
      'TEST_DB_PORT={port}',
      '--write-env',
      '.env.test',
    ],
    {
      command: 'up',
      format: 'text',
      options: {
        ...base,
        driver: 'postgresql',
        args: [],
        snapshot: true,
        settings: { wal_level: 'replica', work_mem: '4MB' },
        user: 'alice',
        password: 'p w=1',
        database: 'app',
        auth: 'password',
        exportEnv: { TEST_DB_PORT: '{port}' },
        envFile: '.env.test',
      },
    },
  ],
  [
    'exec --and redis --env-prefix R_ --and postgresql --env-prefix PG2_: one server per group, CMD once',
    [
      'exec',
      '--port',
      '5432',
      '--and',
      'redis',
      '--env-prefix',
      'R_',
      '--and',
      'postgresql',
      '--env-prefix',
      'PG2_',
      '--',
      'npm',
      'test',
    ],
    {
      command: 'exec',
      prefix: '',
      argv: ['npm', 'test'],
      options: { ...execBase, driver: 'postgresql', port: 5432 },
      more: [
        {
          prefix: 'R_',
          options: { ...execBase, driver: 'redis' },
        },
        {
          prefix: 'PG2_',
          options: { ...execBase, driver: 'postgresql' },
        },
      ],
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
      prefix: '',
      more: [],
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
  [
    'up mariadb --mysql-bin DIR',
    ['up', 'mariadb', '--mysql-bin', '/opt/mariadb/bin'],
    {
      command: 'up',
      format: 'text',
      options: { ...base, driver: 'mariadb', args: [], snapshot: true, mysqlBin: '/opt/mariadb/bin' },
    },
  ],
  [
    'up redis --redis-bin DIR',
    ['up', 'redis', '--redis-bin', '/opt/redis/bin'],
    {
      command: 'up',
      format: 'text',
      options: { ...base, driver: 'redis', args: [], snapshot: true, redisBin: '/opt/redis/bin' },
    },
  ],
  ['stop', ['stop', 'abc'], { command: 'stop', id: 'abc', keep: false }],
  ['stop --keep', ['stop', 'abc', '--keep'], { command: 'stop', id: 'abc', keep: true }],
  ['kill', ['kill', 'abc'], { command: 'kill', id: 'abc' }],
  ['quiet', ['quiet', 'abc'], { command: 'quiet', id: 'abc' }],
  ['rm', ['rm', 'abc'], { command: 'rm', id: 'abc' }],
  ['env', ['env', 'abc'], { command: 'env', id: 'abc' }],
  ['status', ['status'], { command: 'status', id: undefined, json: false }],
  ['status ID --json', ['status', 'abc', '--json'], { command: 'status', id: 'abc', json: true }],
  ['list --json', ['list', '--json'], { command: 'list', json: true }],
  ['gc --dry-run', ['gc', '--dry-run'], { command: 'gc', dryRun: true }],
  ['snapshots list', ['snapshots', 'list'], { command: 'snapshots', action: 'list', json: false }],
  ['snapshots clear', ['snapshots', 'clear'], { command: 'snapshots', action: 'clear', json: false }],
  [
    'snapshots clear KEY',
    ['snapshots', 'clear', 'redis-7.0.15-abc'],
    { command: 'snapshots', action: 'clear', key: 'redis-7.0.15-abc', json: false },
  ],
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
      prefix: '',
      more: [],
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
    'db create --format github-env',
    ['db', 'create', 'pg-1', '--format', 'github-env'],
    { command: 'db', action: 'create', id: 'pg-1', format: 'github-env' },
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
  [
    'unknown command with a suggestion',
    ['lsit'],
    /^unknown command "lsit"; did you mean list\? commands: up, exec, generate, stop, /,
  ],
  ['mistyped command stp', ['stp', 'pg-1'], /^unknown command "stp"; did you mean stop\? commands: /],
  ['unknown command, nothing close', ['frobnicate'], /^unknown command "frobnicate"; commands: up, /],
  [
    'unknown option, nothing close',
    ['up', '--colour'],
    /^unknown option --colour; `quickdb-watcher up --help` lists the options$/,
  ],
  [
    'unknown option with a suggestion',
    ['up', '--frmat', 'json'],
    /^unknown option --frmat; did you mean --format\?$/,
  ],
  ['unknown option --x=v', ['list', '--jsn=1'], /^unknown option --jsn; did you mean --json\?$/],
  [
    'unknown negated flag',
    ['up', '--no-snapshto'],
    /^unknown option --no-snapshto; did you mean --no-snapshot\?$/,
  ],
  ['an argument too many', ['stop', 'a', 'b'], /^unexpected argument "b"; usage: quickdb-watcher stop <id>$/],
  [
    'mistyped driver',
    ['up', 'postgress'],
    /^unknown driver "postgress"; did you mean postgresql\? drivers: command, postgresql, redis, mariadb, mysql$/,
  ],
  [
    'mistyped driver of exec',
    ['exec', 'mysq', '--', 'true'],
    /^unknown driver "mysq"; did you mean mysql\? /,
  ],
  [
    'mistyped driver of generate',
    ['generate', 'systemd', 'reddis'],
    /^unknown driver "reddis"; did you mean redis\? /,
  ],
  ['unknown driver, nothing close', ['up', 'oracle'], /^unknown driver "oracle"; drivers: command, /],
  // The names other tools give the same servers are refused too (one name per driver), saying which one is meant.
  ...(
    [
      ['postgres', 'postgresql'],
      ['pg', 'postgresql'],
      ['postgre', 'postgresql'],
      ['PSQL', 'postgresql'],
      ['maria', 'mariadb'],
      ['valkey', 'redis'],
      ['redis-server', 'redis'],
    ] as const
  ).map(([given, meant], i): [string, string[], RegExp] => [
    `${given}, as another tool names ${meant}`,
    i % 2 === 0 ? ['up', given] : ['exec', '--driver', given, '--', 'true'],
    new RegExp(`^unknown driver "${given}"; did you mean ${meant}\\? drivers: command, postgresql, `),
  ]),
  [
    'bad --format',
    ['up', '--format', 'xml'],
    /^--format: "xml" is not valid: expected text, json, env or github-env$/,
  ],
  [
    'mistyped --format value',
    ['up', '--format', 'jsn'],
    /^--format: "jsn" is not valid: expected text, json, env or github-env; did you mean json\?$/,
  ],
  ['--format without a value', ['up', '--format'], /^--format needs a value: text, json, env or github-env$/],
  [
    'bad --backend',
    ['up', '--backend', 'docker'],
    /^--backend: "docker" is not valid: expected auto, systemd, systemd-system, launchd or detached$/,
  ],
  [
    'generate --backend (the target decides)',
    ['generate', 'systemd', '--backend', 'detached'],
    /^--backend: "detached" is not valid: generate takes the backend from TARGET/,
  ],
  ['generate without a target', ['generate'], /^generate needs a target: systemd, systemd-run or launchd$/],
  ['snapshots without an action', ['snapshots'], /^snapshots needs an action: list or clear$/],
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
    '--port in hex (kept as typed)',
    ['up', '--port', '0x10'],
    /^--port: "0x10" is not valid: expected a port/,
  ],
  ['--pool not a number', ['up', '--pool', 'many'], /^--pool: "many" is not valid/],
  [
    'snapshots list with a KEY',
    ['snapshots', 'list', 'k'],
    /^KEY: "k" is not valid: only snapshots clear takes a KEY/,
  ],
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
    /^TARGET: "upstart" is not valid: expected systemd, systemd-run or launchd$/,
  ],
  ['stop without id', ['stop'], /^stop needs an instance ID; `quickdb-watcher list` shows them$/],
  ['kill without id', ['kill'], /^kill needs an instance ID; /],
  ['exec without CMD', ['exec'], /-- CMD: \[\] is not valid: exec needs the command to run after "--"/],
  [
    'exec command without --server',
    ['exec', 'command', '--', 'true'],
    /^--server is missing: exec with the command driver needs --server/,
  ],
  ['no command', [], /^name a command: up, exec, generate, stop, /],
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
  ['db create without ID', ['db', 'create'], /^ID is missing: db create needs the id of a running instance/],
  ['db without an action', ['db'], /^db needs an action: create, drop or list$/],
  [
    'db with an unknown action',
    ['db', 'make', 'pg-1'],
    /^ACTION: "make" is not valid: expected create, drop or list$/,
  ],
  [
    'db drop without NAME',
    ['db', 'drop', 'pg-1'],
    /^NAME is missing: db drop needs the name of the database/,
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

/** yargs' own sentences (and a missing value said as `undefined`): none may reach the user. */
const STOCK =
  /Not enough non-option|Unknown argument|Invalid values|Did you mean|Choices:|undefined is not valid/;

for (const [name, argv, message] of bad) {
  test(`parse rejects: ${name}`, async () => {
    await assert.rejects(parseCli(argv, requester, quiet), (error: Error & { exitCode?: number }) => {
      assert.equal(error.exitCode, 2);
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, STOCK, 'no stock parser sentence');
      return true;
    });
  });
}

test('parse rejects in our words whatever the locale (the parser would translate its own)', async (t) => {
  const saved = process.env.LC_ALL;
  process.env.LC_ALL = 'de_DE.UTF-8';
  t.after(() => {
    if (saved === undefined) delete process.env.LC_ALL;
    else process.env.LC_ALL = saved;
  });
  await assert.rejects(parseCli(['stop'], requester, quiet), /^UsageError: stop needs an instance ID/);
  let help = '';
  assert.equal(await parseCli(['up', '--help'], requester, (text) => (help += text)), null);
  assert.match(help, /\nOptions:\n/);
});
