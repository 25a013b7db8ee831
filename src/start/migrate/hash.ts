// A migration's content hash: what decides whether the cached migrated snapshot still fits.
import { createHash, type Hash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UsageError } from '../../errors.js';
import type { Migration } from '../../launch/options/migrate.js';

/** More files than this under the --migrate-hash paths is a mistake (a whole project, node_modules). */
const MAX_FILES = 20_000;

// Feed one named path into the hash: a file's bytes, a link's target text (never followed), a dir's entries.
function hashTree(hash: Hash, root: string, path: string, count: { files: number }): void {
  const st = lstatSync(path);
  const name = relative(root, path) || '.';
  if (st.isSymbolicLink()) hash.update(`link ${name} ${readlinkSync(path)}\n`);
  else if (st.isFile()) {
    if (++count.files > MAX_FILES)
      throw new UsageError(
        'migrateHash',
        root,
        `holds over ${MAX_FILES} files; name the migration files only`,
      );
    hash.update(`file ${name} ${st.size}\n`).update(readFileSync(path));
  } else if (st.isDirectory()) {
    for (const entry of readdirSync(path).sort()) hashTree(hash, root, join(path, entry), count);
  }
}

// The hex hash of a migration's inputs (16 hex digits: a snapshot key part).
export function hashMigration(migration: Migration): string {
  const hash = createHash('sha256').update(`quickdb-watcher migration v1 ${migration.kind}\n`);
  if (migration.kind === 'sql')
    for (const file of migration.files)
      hash.update(`sql ${file.name} ${Buffer.byteLength(file.sql)}\n${file.sql}`);
  if (migration.kind === 'command') hash.update(`command ${JSON.stringify(migration.command)}\n`);
  if (migration.kind === 'function') hash.update(`key ${JSON.stringify(migration.key ?? null)}\n`);
  const count = { files: 0 };
  for (const path of migration.hashPaths) {
    hash.update(`path ${relative(migration.project, path) || '.'}\n`);
    hashTree(hash, path, path, count);
  }
  return hash.digest('hex').slice(0, 16);
}
