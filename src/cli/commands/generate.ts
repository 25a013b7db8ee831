// `generate`: prepare an instance (spec.json, data dir) without launching it and write its service definition.
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { backendOfTarget, renderDefinition } from '../../generate/definition.js';
import { normalizeOptions } from '../../launcher/options.js';
import { loadValidDriver, prepareInstance } from '../../launcher/prepare.js';
import { writePreparedStatus } from '../../launcher/prepared.js';
import type { CliIO, CommandCall } from '../types.js';

// Check that a --templates or --out value is a directory (--out may not exist yet).
function checkDir(option: string, dir: string, mayBeMissing: boolean): string {
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(option, dir, 'expected a directory');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (!mayBeMissing) throw new UsageError(option, dir, 'expected an existing directory');
  }
  return resolve(dir);
}

// Write `path` as a new file of ours: created exclusively under a random name, then renamed over whatever was there,
// so a symlink or a file planted in a shared --out dir is replaced, never written through or kept.
function writeFresh(path: string, content: string, mode: number): void {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, content, { mode, flag: 'wx' });
  try {
    renameSync(tmp, path);
  } catch (cause) {
    rmSync(tmp, { force: true });
    throw cause;
  }
}

// Run `generate`: the definition runs the spec in the instance's state dir, so `stop ID` works on it too.
export async function run(call: CommandCall, io: CliIO): Promise<number> {
  if (call.command !== 'generate') return 2;
  const templates = call.templates === undefined ? undefined : checkDir('--templates', call.templates, false);
  const out = call.out === undefined ? undefined : checkDir('--out', call.out, true);
  const backend = backendOfTarget(call.target);
  // A definition outlives the shell that generated it: no parent unless --parent was given.
  const options = normalizeOptions({
    ...call.options,
    backend,
    ...(call.parentGiven ? {} : { parent: 'none' as const }),
  });
  const driver = await loadValidDriver(options);
  const prepared = await prepareInstance(options, driver, backend);
  // Prepared, not started: gc leaves it alone, `list` shows it, `stop ID` removes it.
  writePreparedStatus(prepared.spec, prepared.paths);
  let definition: ReturnType<typeof renderDefinition>;
  try {
    definition = renderDefinition(call.target, prepared.spec, { specPath: prepared.paths.spec }, templates);
  } catch (error) {
    prepared.discard();
    throw error;
  }
  if (!out) {
    io.out(definition.content);
    io.err(`quickdb-watcher: ${prepared.spec.id}: it runs ${prepared.paths.spec}\n`);
    return 0;
  }
  mkdirSync(out, { recursive: true });
  const file = join(out, definition.fileName);
  const specCopy = join(out, `${definition.fileName.replace(/\.[a-z]+$/, '')}.spec.json`);
  writeFresh(file, definition.content, definition.mode);
  writeFresh(specCopy, `${JSON.stringify(prepared.spec, null, 2)}\n`, 0o600);
  io.out(`${file}\n${specCopy}\n`);
  io.err(
    `quickdb-watcher: ${prepared.spec.id}: the definition runs ${prepared.paths.spec} (copied to ${specCopy} for review)\n`,
  );
  return 0;
}
