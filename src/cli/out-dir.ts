// Writing `generate --out`: the dir made with fs-extra, each file created fresh and renamed into place.
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir } from 'fs-extra/esm';
import type { Definition } from '../generate/definition.js';
import type { Spec } from '../state/spec.js';

// Write `path` as a new file of ours: created exclusively under a random name, then renamed over whatever was there,
// so a symlink or a file planted in a shared --out dir is replaced, never written through or kept. (fs-extra's
// outputFile opens the path as it is, through such a symlink: not the tool here.)
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

// Write the definition (in its own mode) and a 0600 copy of its spec into `out`, made if missing; returns both paths.
export async function writeDefinitionFiles(
  out: string,
  definition: Definition,
  spec: Spec,
): Promise<{ file: string; specCopy: string }> {
  await ensureDir(out);
  const file = join(out, definition.fileName);
  const specCopy = join(out, `${definition.fileName.replace(/\.[a-z]+$/, '')}.spec.json`);
  writeFresh(file, definition.content, definition.mode);
  writeFresh(specCopy, `${JSON.stringify(spec, null, 2)}\n`, 0o600);
  return { file, specCopy };
}
