// The connection written to a file before a command starts (`--write-env`, library `envFile`): JSON for a `.json`
// name, else dotenv lines; written as every file of ours (unpredictable temp name, exclusive create, no follow,
// 0600, renamed into place) and removed at stop while it is still the one we wrote.
import { lstatSync, rmSync } from 'node:fs';
import { QuickdbError } from '../../errors.js';
import { type WrittenFile, writeFileAtomic } from '../../state/files/write-file.js';

/** What was written: the path and its inode, so a stop removes only that file. */
export type WrittenEnvFile = WrittenFile;

// One dotenv line: single quotes (taken literally) unless the value holds one, then double quotes, then backticks.
function formatDotenvLine(name: string, value: string): string {
  if (!value.includes("'")) return `${name}='${value}'`;
  if (!value.includes('"') && !value.includes('\\')) return `${name}="${value}"`;
  return `${name}=\`${value}\``;
}

// The file's text for `env`.
function formatEnvFile(path: string, env: Record<string, string>): string {
  if (path.endsWith('.json')) return `${JSON.stringify(env, null, 2)}\n`;
  return Object.entries(env)
    .map(([k, v]) => `${formatDotenvLine(k, v)}\n`)
    .join('');
}

// Write `env` to `path` (replacing a file there, never following a link to one).
export function writeEnvFile(path: string, env: Record<string, string>): WrittenEnvFile {
  try {
    return writeFileAtomic(path, formatEnvFile(path, env));
  } catch (cause) {
    throw new QuickdbError(`cannot write the env file ${path}: ${(cause as Error).message}`, { cause });
  }
}

// Remove the file we wrote, unless something else stands at its path now.
export function removeEnvFile(written: WrittenEnvFile): void {
  const now = lstatSync(written.path, { throwIfNoEntry: false });
  if (now && now.dev === written.dev && now.ino === written.ino) rmSync(written.path, { force: true });
}
