// Copying MariaDB/MySQL's template schema: its tables (SHOW CREATE TABLE, then INSERT … SELECT), views and stored
// programs, read once and turned into one multi-statement script per new schema.
import type { Pool } from 'mysql2/promise';
import { QuickdbError } from '../../errors.js';
import { TEMPLATE_NAME } from '../databases.js';
import { quoteName } from './admin-connection.js';
import {
  readEvents,
  readRoutines,
  readTriggers,
  replayProgram,
  type StoredProgram,
} from './template-programs.js';

interface TableCopy {
  name: string;
  ddl: string;
  /** The columns an INSERT … SELECT may write (generated ones are computed); empty when the table has no rows. */
  columns: string[];
}

/** What a new schema is made of: the template's tables, views (in an order that creates each after those it reads),
 *  functions and procedures, triggers (in firing order) and events. */
export interface TemplateCopy {
  tables: TableCopy[];
  views: { name: string; ddl: string }[];
  routines: StoredProgram[];
  triggers: StoredProgram[];
  events: StoredProgram[];
}

/** The table types a copy makes; another (a sequence) is refused by name rather than copied wrong. */
const COPIED_TYPES = ['BASE TABLE', 'VIEW'];

// Order views so that one reading another comes after it (their text names the template's views qualified).
function orderViews(views: { name: string; ddl: string }[]): { name: string; ddl: string }[] {
  const ordered: { name: string; ddl: string }[] = [];
  const left = [...views];
  while (left.length > 0) {
    const reads = (v: { ddl: string }, other: { name: string }) =>
      v.ddl.includes(`${quoteName(TEMPLATE_NAME)}.${quoteName(other.name)}`);
    const index = left.findIndex((v) => !left.some((o) => o !== v && reads(v, o)));
    ordered.push(...left.splice(index === -1 ? 0 : index, 1));
  }
  return ordered;
}

// Read the template schema's tables and views; null when the instance has no template schema (no migration ran).
export async function readTemplateCopy(pool: Pool): Promise<TemplateCopy | null> {
  const [found] = await pool.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
    TEMPLATE_NAME,
  ]);
  if ((found as unknown[]).length === 0) return null;
  const [objects] = await pool.query(
    'SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
    [TEMPLATE_NAME],
  );
  const [columns] = await pool.query(
    `SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS
     WHERE TABLE_SCHEMA = ? AND EXTRA NOT LIKE '%GENERATED%' ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [TEMPLATE_NAME],
  );
  const copy: TemplateCopy = {
    tables: [],
    views: [],
    routines: await readRoutines(pool),
    triggers: await readTriggers(pool),
    events: await readEvents(pool),
  };
  for (const { name, type } of objects as { name: string; type: string }[]) {
    if (!COPIED_TYPES.includes(type))
      throw new QuickdbError(
        `per-test schemas cannot copy ${name} of ${TEMPLATE_NAME}: a ${type.toLowerCase()}`,
      );
    const from = `${quoteName(TEMPLATE_NAME)}.${quoteName(name)}`;
    if (type === 'VIEW') {
      const [rows] = await pool.query(`SHOW CREATE VIEW ${from}`);
      copy.views.push({ name, ddl: (rows as Record<string, string>[])[0]?.['Create View'] as string });
      continue;
    }
    const [rows] = await pool.query(`SHOW CREATE TABLE ${from}`);
    const [any] = await pool.query(`SELECT 1 FROM ${from} LIMIT 1`);
    const writable = (columns as { t: string; c: string }[]).filter((c) => c.t === name).map((c) => c.c);
    copy.tables.push({
      name,
      ddl: (rows as Record<string, string>[])[0]?.['Create Table'] as string,
      columns: (any as unknown[]).length > 0 ? writable : [],
    });
  }
  copy.views = orderViews(copy.views);
  return copy;
}

// The script that makes schema `name` a copy of the template: tables first with foreign key checks off (any order
// will do), then their rows (before any trigger, which must not fire for them), then functions and procedures
// (which a view may call), views, triggers and events; the session ends back in the template schema (which is never
// dropped), so no admin session keeps the new schema as its default and a drop need not end it.
export function buildCopyScript(copy: TemplateCopy, name: string): string {
  const target = quoteName(name);
  const template = `${quoteName(TEMPLATE_NAME)}.`;
  const lines = [
    `CREATE DATABASE ${target}`,
    `USE ${target}`,
    // Copying rows between identical tables: keep zero ids as they are, and no strict-mode surprises.
    "SET @qdw_fk = @@foreign_key_checks, @qdw_mode = @@sql_mode, @qdw_tz = @@time_zone, foreign_key_checks = 0, sql_mode = 'NO_AUTO_VALUE_ON_ZERO'",
    ...copy.tables.map((t) => t.ddl),
    ...copy.tables
      .filter((t) => t.columns.length > 0)
      .map((t) => {
        const list = t.columns.map(quoteName).join(', ');
        return `INSERT INTO ${quoteName(t.name)} (${list}) SELECT ${list} FROM ${template}${quoteName(t.name)}`;
      }),
    ...copy.routines.flatMap((r) => replayProgram(r, target)),
    // A view's text names the template schema in every column and table: point it at the copy.
    "SET sql_mode = ''",
    ...copy.views.map((v) => v.ddl.replaceAll(template, `${target}.`)),
    ...[...copy.triggers, ...copy.events].flatMap((p) => replayProgram(p, target)),
    'SET foreign_key_checks = @qdw_fk, sql_mode = @qdw_mode, time_zone = @qdw_tz',
    `USE ${quoteName(TEMPLATE_NAME)}`,
  ];
  return lines.join(';\n');
}
