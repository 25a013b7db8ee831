// `db create|drop|list ID`: per-test databases of a running instance, for shells and other languages.
import { QuickdbError, UsageError } from '../../errors.js';
import type { OpenedInstance } from '../../index.js';
import { type CliIO, defineCommand } from '../command.js';

export type DbFormat = 'text' | 'json' | 'env' | 'github-env';

export type DbCall =
  | { command: 'db'; action: 'create'; id: string; name?: string; format: DbFormat }
  | { command: 'db'; action: 'drop'; id: string; name: string }
  | { command: 'db'; action: 'list'; id: string; json: boolean };

interface DbArgs {
  action: 'create' | 'drop' | 'list';
  id?: string;
  dbname?: string;
  name?: string;
  format?: DbFormat;
  json?: boolean;
}

// Check the parsed arguments against what each action takes; names are checked here, before anything connects.
async function toDbCall(a: DbArgs): Promise<DbCall> {
  const { validateDatabaseName } = await import('../../api/names.js');
  const { action } = a;
  if (a.id === undefined)
    throw new UsageError('ID', a.id, `db ${action} needs the id of a running instance (see \`list\`)`);
  const id = String(a.id);
  if (a.format !== undefined && action !== 'create')
    throw new UsageError('--format', a.format, 'only db create takes --format; db list takes --json');
  if (a.json && action !== 'list') throw new UsageError('--json', a.json, 'only db list takes --json');
  if (a.name !== undefined && action !== 'create')
    throw new UsageError('--name', a.name, `only db create takes --name; db drop takes NAME after ID`);
  if (action === 'drop') {
    if (a.dbname === undefined)
      throw new UsageError('NAME', a.dbname, 'db drop needs the name of the database (see `db list ID`)');
    return { command: 'db', action, id, name: validateDatabaseName('NAME', String(a.dbname)) };
  }
  if (a.dbname !== undefined)
    throw new UsageError(
      'NAME',
      a.dbname,
      `db ${action} takes ${action === 'create' ? 'the name by --name' : 'no NAME'}`,
    );
  if (action === 'list') return { command: 'db', action, id, json: Boolean(a.json) };
  const name = a.name === undefined ? undefined : validateDatabaseName('--name', String(a.name));
  return { command: 'db', action, id, ...(name !== undefined ? { name } : {}), format: a.format ?? 'text' };
}

// Create one database and print it; with a pool, top the pool up before exiting so the next create takes one.
async function runCreate(instance: OpenedInstance, call: Extract<DbCall, { action: 'create' }>, io: CliIO) {
  const db = await instance.createDatabase(call.name === undefined ? {} : { name: call.name });
  const { formatEnvAs } = await import('../format.js');
  if (call.format === 'json') io.out(`${JSON.stringify(db)}\n`);
  else io.out(call.format === 'text' ? `${db.url}\n` : formatEnvAs(db.env, call.format));
  await instance.settle();
  return 0;
}

// Drop one database by name: exit 1 (the server is as asked, but the name was not there) when it is missing.
async function runDrop(instance: OpenedInstance, call: Extract<DbCall, { action: 'drop' }>, io: CliIO) {
  const found = (await instance.listDatabases()).some((d) => d.name === call.name);
  if (!found) {
    io.err(
      `quickdb-watcher: ${call.id} has no database ${call.name}; \`quickdb-watcher db list ${call.id}\` shows them\n`,
    );
    return 1;
  }
  await instance.dropDatabase(call.name);
  io.out(`${call.id}: dropped ${call.name}\n`);
  return 0;
}

// List the per-test and pooled databases: a table, or JSON.
async function runList(instance: OpenedInstance, call: Extract<DbCall, { action: 'list' }>, io: CliIO) {
  const entries = await instance.listDatabases();
  if (call.json) {
    io.out(`${JSON.stringify(entries)}\n`);
    return 0;
  }
  if (entries.length === 0) {
    io.out(`no databases in ${call.id}\n`);
    return 0;
  }
  const { escapeControls } = await import('../table.js');
  const width = Math.max(4, ...entries.map((e) => e.name.length));
  const rows = entries.map((e) => `${escapeControls(e.name).padEnd(width)}  ${e.pooled ? 'yes' : 'no'}`);
  io.out(`${['NAME'.padEnd(width), 'POOLED'].join('  ')}\n${rows.join('\n')}\n`);
  return 0;
}

// Run one db action on the instance; the connection is closed, but what was made stays (until dropped or stop).
async function runDb(call: DbCall, io: CliIO): Promise<number> {
  const { openInstance } = await import('../../api/open.js');
  const instance = openInstance(call.id);
  try {
    if (call.action === 'create') return await runCreate(instance, call, io);
    if (call.action === 'drop') return await runDrop(instance, call, io);
    return await runList(instance, call, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof QuickdbError) throw error;
    throw new QuickdbError(`db ${call.action} on ${call.id}: ${(error as Error).message}`, { cause: error });
  } finally {
    await instance.close();
  }
}

/** `db`: databases made here outlive this command; they go when dropped or when the server stops. */
export const db = defineCommand({
  command: 'db <action> [id] [dbname]',
  describe:
    'create, drop or list the per-test databases of a running instance (cloned from its migrated template)',
  builder: (y) =>
    y
      .positional('action', { choices: ['create', 'drop', 'list'] as const, demandOption: true })
      .positional('id', { type: 'string', describe: 'instance id (see `list`)' })
      .positional('dbname', { type: 'string', describe: 'db drop: the database to drop' })
      .option('name', { type: 'string', describe: 'db create: the name (default qdw_<random>)' })
      .option('format', {
        choices: ['text', 'json', 'env', 'github-env'] as const,
        describe:
          'db create: the URL (text, default), {name,url,env,from} (json), export lines (env) or $GITHUB_ENV lines',
      })
      .option('json', { type: 'boolean', describe: 'db list: JSON for scripts' })
      .example('export DATABASE_URL="$($0 db create pg-1a2b3c4d)"', 'a fresh migrated database')
      .example('$0 db drop pg-1a2b3c4d qdw_0a1b2c3d4e', 'drop it, even with sessions open'),
  toCall: (a) => toDbCall(a as unknown as DbArgs),
  handler: runDb,
});
