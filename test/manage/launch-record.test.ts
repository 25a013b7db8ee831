// The launcher's record (spec.json's `info`) read back as untrusted input, one way for every reader: an edited record
// (wrong types, huge strings, control characters, a bad pool size, a placement not in the set, a connection leading
// elsewhere) is refused, ignored or kept (text, shown escaped) alike by `status`/`list` (the inventory), `db` and
// openInstanceDatabases, while the running Instance keeps what its launch knew.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { QuickdbError } from '../../dist/errors.js';
import type { InstanceInfo } from '../../dist/index.js';
import { inspectInstance } from '../../dist/manage/inventory.js';
import { describeConnection } from '../../dist/manage/shown-connection.js';
import { openInstanceDatabases } from '../../dist/start/databases/by-id.js';
import { requirePostgres, runCli, startLib } from '../drivers/db.js';
import { stateRoot } from '../helpers/env.js';

type Info = Record<string, unknown> & {
  connection: { url?: string; env: Record<string, unknown> };
  dataOn: Record<string, unknown>;
  server: Record<string, unknown>;
};

/** What every reader must make of one edit: the placement and server shown, the connection's and pool's refusal. */
interface Expected {
  dataOn?: 'absent' | ((why: string) => void);
  server?: 'absent' | ((binary: string) => void);
  connection?: RegExp;
  pool?: RegExp;
}

const CONTROL = '\u001b]0;owned\u0007';

/** Each edit of the record, and what the readers make of it. */
const EDITS: [string, (info: Info) => unknown, Expected][] = [
  [
    'control characters in the placement',
    (i) => {
      i.dataOn.why = `fast${CONTROL}`;
    },
    { dataOn: (why) => assert.equal(why, `fast${CONTROL}`, 'kept as recorded (text output escapes it)') },
  ],
  [
    'a newline in the server binary',
    (i) => {
      i.server.binary = '/usr/bin/postgres\nfake';
    },
    {
      server: (binary) =>
        assert.equal(binary, '/usr/bin/postgres\nfake', 'a path may hold one (shown escaped)'),
    },
  ],
  [
    'a placement not in the set',
    (i) => {
      i.dataOn.on = 'tape';
    },
    { dataOn: 'absent' },
  ],
  [
    'a placement reason of the wrong type',
    (i) => {
      i.dataOn.why = 42;
    },
    { dataOn: 'absent' },
  ],
  [
    'a huge placement reason',
    (i) => {
      i.dataOn.why = 'x'.repeat(100_000);
    },
    { dataOn: (w) => assert.equal(w.length, 300) },
  ],
  [
    'a huge server version',
    (i) => {
      i.server.version = '1'.repeat(10_000);
    },
    { server: 'absent' },
  ],
  [
    'a pool size that is a string',
    (i) => {
      i.pool = '3';
    },
    { pool: /has info\.pool "3"; expected a whole number from 0 to 32/ },
  ],
  [
    'a negative pool size',
    (i) => {
      i.pool = -1;
    },
    { pool: /has info\.pool -1; expected a whole/ },
  ],
  [
    'a pool size of no number (1e999)',
    (i) => {
      i.pool = '__INF__';
    },
    { pool: /has info\.pool null; expected a whole/ },
  ],
  [
    'a fractional pool size',
    (i) => {
      i.pool = 2.5;
    },
    { pool: /has info\.pool 2\.5; expected a whole/ },
  ],
  [
    'a connection to a foreign host',
    (i) => {
      i.connection.env.PGHOST = '10.0.0.1';
    },
    { connection: /names PGHOST "10\.0\.0\.1"; expected 127\.0\.0\.1/ },
  ],
  [
    'a connection that is a string',
    (i) => {
      i.connection = 'postgres://evil' as never;
    },
    { connection: /has no info\.connection object/ },
  ],
  [
    'a port of the wrong type',
    (i) => {
      i.connection.env.PGPORT = 5432;
    },
    { connection: /info\.connection\.env\.PGPORT is not a string/ },
  ],
  [
    'a user name with a control character',
    (i) => {
      i.connection.env.PGUSER = `postgres${CONTROL}`;
    },
    { connection: /names PGUSER .*expected letters, digits or "_"/ },
  ],
  [
    'a record that is an array',
    () => [],
    { dataOn: 'absent', server: 'absent', connection: /has no info\.connection object/ },
  ],
];

// Write spec.json with its `info` edited (1e999 where the edit asked for it: JSON.parse reads it as Infinity).
function writeEdited(path: string, original: string, edit: (info: Info) => unknown): void {
  const spec = JSON.parse(original);
  const replaced = edit(spec.info);
  if (replaced !== undefined) spec.info = replaced;
  writeFileSync(path, JSON.stringify(spec).replace('"__INF__"', '1e999'));
}

// The refusal's reason after "its spec.json", from a message of any reader.
function reasonOf(message: string | null | undefined): string | null {
  return message ? (/its spec\.json (.*)$/s.exec(message)?.[1] ?? message) : null;
}

// What openInstanceDatabases says: null when it opened (the pool is closed again), else its refusal's reason.
async function openByLibrary(id: string): Promise<string | null> {
  try {
    const pool = openInstanceDatabases(stateRoot(), id);
    await pool.close();
    return null;
  } catch (error) {
    assert.ok(error instanceof QuickdbError, String(error));
    return reasonOf(error.message);
  }
}

// Every reader's view of the record as it is now on disk, checked against what the edit should make of it.
async function checkReaders(
  id: string,
  what: string,
  expected: Expected,
  known: InstanceInfo,
): Promise<void> {
  const view = inspectInstance(stateRoot(), id);
  assert.ok(view && !view.problem, `${what}: the spec itself stays valid`);
  const status = await runCli(['status', id, '--json']);
  assert.equal(status.code, 0, `${what}: ${status.stderr}`);
  const shown = JSON.parse(status.stdout);
  const listed = JSON.parse((await runCli(['list', '--json'])).stdout).find(
    (r: { id: string }) => r.id === id,
  );
  for (const [reader, row] of [
    ['status', shown],
    ['list', listed],
    ['inventory', view],
  ] as const) {
    if (expected.dataOn === 'absent') assert.equal(row.dataOn, null, `${what}: ${reader} shows no placement`);
    else if (expected.dataOn) expected.dataOn(row.dataOn.why);
    else assert.deepEqual(row.dataOn, known.dataOn, `${what}: ${reader} shows the placement`);
    if (expected.server === 'absent') assert.equal(row.server, null, `${what}: ${reader} shows no server`);
    else if (expected.server) expected.server(row.server.binary);
    else assert.deepEqual(row.server, known.server, `${what}: ${reader} shows the server`);
  }
  const shownProblem = reasonOf(describeConnection(view).connectionProblem);
  assert.equal(
    reasonOf(shown.connectionProblem),
    shownProblem,
    `${what}: status --json says the library's reason`,
  );
  const db = await runCli(['db', 'list', id]);
  const byLibrary = await openByLibrary(id);
  const refusal = expected.connection ?? expected.pool;
  if (!refusal) {
    assert.equal(shownProblem, null, `${what}: the connection is shown`);
    assert.equal(db.code, 0, `${what}: db list opens it: ${db.stderr}`);
    assert.equal(byLibrary, null, `${what}: openInstanceDatabases opens it`);
    return;
  }
  assert.equal(db.code, 1, `${what}: db list refuses it`);
  assert.match(db.stderr, /refusing to open the databases of /);
  assert.match(reasonOf(db.stderr.trim()) ?? '', refusal, `${what}: db says why`);
  assert.equal(byLibrary, reasonOf(db.stderr.trim()), `${what}: openInstanceDatabases says what db says`);
  if (expected.connection)
    assert.equal(shownProblem, byLibrary, `${what}: status refuses the connection alike`);
  else assert.equal(shownProblem, null, `${what}: status shows the connection (a pool size is db's concern)`);
}

test('an edited launch record is refused or ignored alike by status, list, db and openInstanceDatabases', async (t) => {
  if (!requirePostgres(t)) return;
  await using instance = await startLib(t, 'postgresql');
  const { id, stateDir } = instance.info;
  const known = structuredClone(instance.info);
  const path = join(stateDir, 'spec.json');
  const original = readFileSync(path, 'utf8');
  // The record is put back before the stop, even when a check fails.
  try {
    for (const [what, edit, expected] of EDITS)
      await t.test(what, async () => {
        writeEdited(path, original, edit);
        await checkReaders(id, what, expected, known);
      });
  } finally {
    writeFileSync(path, original);
  }
  assert.deepEqual(
    instance.info,
    known,
    'the running Instance keeps what its launch knew, whatever the record says',
  );
  assert.equal((await runCli(['db', 'list', id])).code, 0, 'the record put back is read again');
});
