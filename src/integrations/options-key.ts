// A group's checked options as one stable hash: files of a `node --test` run that ask for the same server share it,
// a file asking for another (other migrations, another driver…) gets its own.
import { createHash } from 'node:crypto';
import type { NormalizedOptions } from '../api/validate.js';

// JSON.stringify's replacer: objects with their keys in order, functions (a migrate function) by their source.
function canonicalize(_key: string, value: unknown): unknown {
  if (typeof value === 'function') return `function ${value.toString()}`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The hash (hex) of the options that make one server differ from another: all but the parent (by default the
 *  asking file's own process, not part of what the server is). A migration counts by its files' contents. */
export function hashServerOptions(options: NormalizedOptions): string {
  const { parent: _parent, ...server } = options;
  return createHash('sha256').update(JSON.stringify(server, canonicalize)).digest('hex');
}
