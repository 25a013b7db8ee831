// One way to write a file (docs/design.md, "One way to write a file"): every write in src/ goes through
// src/state/files/write-file.ts, so no code path can write through a planted link or at a predictable temp name.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/env.js';

/** Files allowed to write otherwise, and why. */
const ALLOWED: Record<string, string> = {
  'src/state/files/write-file.ts': 'the one writer',
  'src/state/process/cgroup.ts': "the kernel's cgroup files (cgroup.procs), written as they are",
  'src/state/process/cgroup-kill.ts': "the kernel's cgroup.kill, written through the opened cgroup dir",
};

const WRITERS =
  /\b(writeFileSync|appendFileSync|createWriteStream|outputJsonSync|outputJson|outputFileSync|outputFile|writeJsonSync|writeJson|writeFile|appendFile)\s*\(/;
/** An open for reading (or of a dir) is not a write. */
const READ_OPEN = /openSync\([^;]*?(['"]r['"]|O_RDONLY|DIR_FLAGS|READ_FLAGS)/;

// Every .ts file under src/.
function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

test("no code outside write-file.ts writes a file (the kernel's cgroup files aside)", () => {
  const offenders: string[] = [];
  for (const file of listSources(join(ROOT, 'src'))) {
    const name = relative(ROOT, file);
    if (ALLOWED[name]) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trimStart().startsWith('//')) return;
        const opensToWrite = /\bopenSync\(/.test(line) && !READ_OPEN.test(line);
        if (WRITERS.test(line) || opensToWrite) offenders.push(`${name}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(offenders, [], 'write through src/state/files/write-file.ts instead');
});

test('the check sees a write when there is one', () => {
  assert.ok(WRITERS.test("writeFileSync(path, 'x', { mode: 0o600 });"));
  assert.ok(!READ_OPEN.test("openSync(logPath, 'a', 0o600)"));
  assert.ok(READ_OPEN.test("openSync(this.path, 'r')"));
});
