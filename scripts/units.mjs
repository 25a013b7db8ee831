// Regenerates the checked-in examples in units/ from the built generator (npm run units).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderExamples } from '../dist/generate/examples.js';

const dir = new URL('../units/', import.meta.url).pathname;
mkdirSync(dir, { recursive: true });
for (const name of readdirSync(dir)) rmSync(join(dir, name));
for (const { name, content } of renderExamples()) {
  writeFileSync(join(dir, name), content);
  console.log(`units/${name}`);
}
