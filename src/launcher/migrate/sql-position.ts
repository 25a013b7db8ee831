// Where in a migration file an engine's SQL error is: PostgreSQL's `position` (a character offset into the query)
// or the text MariaDB quotes (`near '…' at line N`), turned into a line and column of the file.

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

/** Where the error `cause` from running `sql` points in it, or null when the engine does not say (or it is unclear). */
export function locateSqlError(cause: unknown, sql: string): SqlPlace | null {
  const position = Number((cause as { position?: unknown })?.position);
  if (position >= 1) return placeAt(sql, position - 1);
  const message = (cause as { message?: unknown })?.message;
  return typeof message === 'string' ? findQuoted(message, sql) : null;
}
