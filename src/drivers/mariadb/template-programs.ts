// The stored programs of MariaDB/MySQL's template schema (routines, triggers, events), read with SHOW CREATE … and
// replayed into each copy under the sql_mode (and, for events, time zone) each was made with.
import type { Pool } from 'mysql2/promise';
import { QuickdbError } from '../../errors.js';
import { TEMPLATE_NAME } from '../databases.js';
import { quoteName as quote } from './admin-connection.js';
import { quoteSql } from './tcp-root.js';

/** One stored program as SHOW CREATE gives it: its statement, and the session settings it was made under. */
export interface StoredProgram {
  what: string;
  ddl: string;
  sqlMode: string;
  timeZone?: string;
}

/** What SHOW CREATE names each routine type's statement column; a type not here cannot be copied. */
const ROUTINE_COLUMNS: Record<string, string> = {
  FUNCTION: 'Create Function',
  PROCEDURE: 'Create Procedure',
};

type Row = Record<string, string | null>;

// One SHOW CREATE row's statement and settings; a copy that would silently lack the program throws, naming it.
async function showCreate(pool: Pool, what: string, sql: string, column: string): Promise<StoredProgram> {
  const [rows] = await pool.query(sql);
  const row = (rows as Row[])[0];
  const ddl = row?.[column];
  if (typeof ddl !== 'string' || ddl === '')
    throw new QuickdbError(
      `per-test schemas cannot copy ${what} of ${TEMPLATE_NAME}: ${sql} gave no statement`,
    );
  return {
    what,
    ddl,
    sqlMode: String(row?.sql_mode ?? ''),
    ...(row?.time_zone ? { timeZone: row.time_zone } : {}),
  };
}

// The template's functions and procedures; another kind (a package) is refused by name, never silently left out.
export async function readRoutines(pool: Pool): Promise<StoredProgram[]> {
  const [rows] = await pool.query(
    'SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_TYPE, ROUTINE_NAME',
    [TEMPLATE_NAME],
  );
  const routines: StoredProgram[] = [];
  for (const { name, type } of rows as { name: string; type: string }[]) {
    const what = `${type.toLowerCase()} ${name}`;
    const column = ROUTINE_COLUMNS[type];
    if (!column)
      throw new QuickdbError(
        `per-test schemas cannot copy ${what} of ${TEMPLATE_NAME}: only functions and procedures are copied`,
      );
    routines.push(
      await showCreate(pool, what, `SHOW CREATE ${type} ${quote(TEMPLATE_NAME)}.${quote(name)}`, column),
    );
  }
  return routines;
}

// A trigger's own FOLLOWS/PRECEDES clause, dropped: triggers are made in their firing order, each one last.
const TRIGGER_ORDER = /(\bFOR\s+EACH\s+ROW\s+)(?:FOLLOWS|PRECEDES)\s+(?:`(?:[^`]|``)+`|[\w$]+)\s*/i;

// Every program of one kind (`trigger`, `event`) that `listSql` names (as `name`, in order), by SHOW CREATE.
async function showEach(pool: Pool, kind: string, listSql: string, column: string): Promise<StoredProgram[]> {
  const [rows] = await pool.query(listSql, [TEMPLATE_NAME]);
  const programs: StoredProgram[] = [];
  for (const { name } of rows as { name: string }[]) {
    const sql = `SHOW CREATE ${kind.toUpperCase()} ${quote(TEMPLATE_NAME)}.${quote(name)}`;
    programs.push(await showCreate(pool, `${kind} ${name}`, sql, column));
  }
  return programs;
}

// The template's triggers in firing order per table and event (ACTION_ORDER), so remaking them keeps that order.
export async function readTriggers(pool: Pool): Promise<StoredProgram[]> {
  const triggers = await showEach(
    pool,
    'trigger',
    `SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
     ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER`,
    'SQL Original Statement',
  );
  return triggers.map((t) => ({ ...t, ddl: t.ddl.replace(TRIGGER_ORDER, '$1') }));
}

// The template's events (made disabled or enabled as they are there).
export function readEvents(pool: Pool): Promise<StoredProgram[]> {
  return showEach(
    pool,
    'event',
    'SELECT EVENT_NAME AS name FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY EVENT_NAME',
    'Create Event',
  );
}

/** A program's text names the template where its author qualified a name with it: those go to the copy. */
const TEMPLATE_QUALIFIER = new RegExp(`(?:\`${TEMPLATE_NAME}\`|\\b${TEMPLATE_NAME})\\.`, 'g');

// The statements that remake a program in the current schema `target` (quoted), under its own settings.
export function replayProgram(program: StoredProgram, target: string): string[] {
  const settings = [`sql_mode = ${quoteSql(program.sqlMode)}`];
  if (program.timeZone) settings.push(`time_zone = ${quoteSql(program.timeZone)}`);
  return [`SET ${settings.join(', ')}`, program.ddl.replace(TEMPLATE_QUALIFIER, `${target}.`)];
}
