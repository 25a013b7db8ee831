// The version a PostgreSQL server binary says it is, e.g. "15.14" (from `postgres --version`, cached by binary).
import { QuickdbError } from '../../errors.js';
import { readVersionLine } from '../../state/process/tool-version.js';

// The server's version, e.g. "15.14" from "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)".
export function readPgVersion(postgres: string): string {
  const line = readVersionLine(postgres);
  const version = /(\d+(?:\.\d+)*)/.exec(line.replace(/^[^)]*\)/, ''))?.[1];
  if (!version) throw new QuickdbError(`cannot run ${postgres} --version (got "${line}")`);
  return version;
}
