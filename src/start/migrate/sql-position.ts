// Where in a migration file an engine's SQL error is: PostgreSQL's `position` (a character offset into the query)
// or the text MariaDB quotes (`near '…' at line N`), turned into a line and column of the file; for an extension
// PostgreSQL cannot find (it gives no position), the CREATE EXTENSION statement naming it.
import { readMissingExtension } from '../../drivers/postgresql/extensions.js';

/** A 1-based line and column of a file, and that line's text (for a caret under it). */
export interface SqlPlace {
  line: number;
  column: number;
  text: string;
}

// The line and column of the character at `index` (0-based, counted in characters as PostgreSQL counts them).
function placeAt(sql: string, index: number): SqlPlace | null {
  const chars = Array.from(sql);
  if (!Number.isInteger(index) || index < 0 || index > chars.length) return null;
  const before = chars.slice(0, index).join('');
  const start = before.lastIndexOf('\n') + 1;
  const line = before.split('\n').length;
  const text = sql.slice(start).split('\n')[0] ?? '';
  return { line, column: Array.from(before.slice(start)).length + 1, text };
}

// MariaDB quotes the text from the error on ("near ')' at line 4"): where it occurs once in the file, that is it.
function findQuoted(message: string, sql: string): SqlPlace | null {
  const quoted = /near '([\s\S]+)' at line \d+\s*$/.exec(message)?.[1];
  if (!quoted) return null;
  const at = sql.indexOf(quoted);
  if (at < 0 || sql.indexOf(quoted, at + 1) >= 0) return null;
  return placeAt(sql, Array.from(sql.slice(0, at)).length);
}

// The one `CREATE EXTENSION [IF NOT EXISTS] name` of the file (the name quoted or not), at the name.
function findCreateExtension(cause: unknown, sql: string): SqlPlace | null {
  const name = readMissingExtension(cause);
  if (!name) return null;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(
    `(create\\s+extension\\s+(?:if\\s+not\\s+exists\\s+)?)("?)${escaped}\\2(?![\\w$-])`,
    'gi',
  );
  const found = [...sql.matchAll(pattern)];
  if (found.length !== 1) return null;
  const [match] = found as [RegExpExecArray];
  return placeAt(sql, Array.from(sql.slice(0, match.index + (match[1] as string).length)).length);
}

/** Where the error `cause` from running `sql` points in it, or null when the engine does not say (or it is unclear). */
export function locateSqlError(cause: unknown, sql: string): SqlPlace | null {
  const position = Number((cause as { position?: unknown })?.position);
  if (position >= 1) return placeAt(sql, position - 1);
  const message = (cause as { message?: unknown })?.message;
  if (typeof message !== 'string') return null;
  return findQuoted(message, sql) ?? findCreateExtension(cause, sql);
}
