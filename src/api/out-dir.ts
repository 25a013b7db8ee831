// Writing `generate --out`: the dir made with fs-extra, each file created fresh and renamed into place.
import { join } from 'node:path';
import { ensureDir } from 'fs-extra/esm';
import type { Definition } from '../generate/definition.js';
import { writeFileAtomic } from '../state/files/write-file.js';
import type { Spec } from '../state/records/spec.js';

// Write the definition (in its own mode) and a 0600 copy of its spec into `out`, made if missing; returns both paths.
export async function writeDefinitionFiles(
  out: string,
  definition: Definition,
  spec: Spec,
): Promise<{ file: string; specCopy: string }> {
  await ensureDir(out);
  const file = join(out, definition.fileName);
  const specCopy = join(out, `${definition.fileName.replace(/\.[a-z]+$/, '')}.spec.json`);
  // Created fresh and renamed over whatever was there: a link planted in a shared --out dir is replaced, never
  // written through (fs-extra's outputFile opens the path as it is).
  writeFileAtomic(file, definition.content, { mode: definition.mode });
  writeFileAtomic(specCopy, `${JSON.stringify(spec, null, 2)}\n`);
  return { file, specCopy };
}
