// Running a migration against a live instance: SQL files through the engine's admin connection, a command with the
// server's environment, or the caller's function; a failure is an error carrying the migration's own output.
import type { DatabaseAdmin } from '../../drivers/databases.js';
import { QuickdbError, UsageError } from '../../errors.js';
import type { Migration } from '../../launch/options/migrate.js';
import { canSetDeathSignal, DEATH_SIGNAL } from '../../state/process/death-signal.js';
import { locateSqlError } from './sql-position.js';

/** The most of a failing command's output an error carries (its tail). */
const OUTPUT_TAIL = 4000;

// What the engine adds about a failure (an extension the binaries lack), as lines after the details; else "".
function explain(admin: DatabaseAdmin, cause: unknown, server: Record<string, unknown> | undefined): string {
  const explained = admin.explainFailure?.(cause, server);
  return explained ? `\n${explained}` : '';
}

async function runSqlFiles(
  migration: Extract<Migration, { kind: 'sql' }>,
  admin: DatabaseAdmin,
  server: Record<string, unknown> | undefined,
): Promise<void> {
  for (const file of migration.files) {
    try {
      await admin.applySql(file.sql);
    } catch (cause) {
      const path = `${migration.dir}/${file.name}`;
      const place = locateSqlError(cause, file.sql);
      const where = place ? `${path}:${place.line}:${place.column}` : path;
      const excerpt = place ? `${place.text}\n${' '.repeat(place.column - 1)}^\n` : '';
      throw new QuickdbError(`migration ${file.name} failed: ${(cause as Error).message} (at ${where})`, {
        cause,
        details: `${excerpt}in ${where}; nothing was cached${explain(admin, cause, server)}`,
      });
    }
  }
}

async function runCommand(
  command: string | string[],
  cwd: string,
  env: Record<string, string>,
): Promise<void> {
  const { execa } = await import('execa');
  const argv = Array.isArray(command) ? command : ['/bin/sh', '-c', command];
  // A requester SIGKILLed mid-migration takes the command with it (its server is going too).
  const [file, ...args] = canSetDeathSignal()
    ? ['setpriv', '--pdeathsig', DEATH_SIGNAL, '--', ...argv]
    : argv;
  const result = await execa(file as string, args, { cwd, env, reject: false, all: true, stdin: 'ignore' });
  const output = String(result.all ?? '').trim();
  if (result.exitCode === 0) return;
  const shown = Array.isArray(command) ? command.join(' ') : command;
  // The program was checked before anything started; a 127 now is the shell not finding it (or its callee).
  if (result.exitCode === 127 || (result as { code?: string }).code === 'ENOENT')
    throw new UsageError(
      'migrate.command',
      shown,
      `it was not found when run (exit 127): ${output.slice(-500)}`,
    );
  throw new QuickdbError(
    `the migration command failed (exit ${result.exitCode ?? result.signal}): ${shown}`,
    {
      details: `${output.slice(-OUTPUT_TAIL)}\nnothing was cached`,
    },
  );
}

// Apply a migration to the instance `admin` speaks to (its server as the driver described it); throws with the
// migration's output when it fails.
export async function runMigration(
  migration: Migration,
  admin: DatabaseAdmin,
  server?: Record<string, unknown>,
): Promise<void> {
  const target = await admin.migrationTarget();
  if (migration.kind === 'sql') return runSqlFiles(migration, admin, server);
  if (migration.kind === 'command')
    return runCommand(migration.command, migration.cwd, {
      ...(process.env as Record<string, string>),
      ...target.env,
    });
  try {
    await migration.fn(String(target.url), { ...target.env });
  } catch (cause) {
    throw new QuickdbError(`the migrate function failed: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
      details: `nothing was cached${explain(admin, cause, server)}`,
    });
  }
}
