// Every relative link of the README and of every other markdown file the package ships (the docs and benchmark
// results it links to) resolves inside the packed tarball, as npm shows the README to users, and every `#anchor`
// names a heading of its target (GitHub's slug rules).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ROOT } from '../helpers/env.js';
import { listAnchors, listLinks } from './markdown.js';
import { packTarball, requirePackageTools } from './project.js';

const run = promisify(execFile);
/** The markdown files that must ship (the rest of what ships is checked as well). */
const DOCS = ['README.md', 'docs/design.md', 'docs/architecture.md', 'docs/reference.md', 'bench/RESULTS.md'];

test('markdown anchors follow GitHub: punctuation dropped, spaces as hyphens, repeats numbered, code ignored', () => {
  const text =
    "# A `--format` flag!\n## Running a client library's own suite\n## Repeat\n## Repeat\n```sh\n# not a heading\n```\n";
  assert.deepEqual(
    [...listAnchors(text)],
    ['a---format-flag', 'running-a-client-librarys-own-suite', 'repeat', 'repeat-1'],
  );
  assert.deepEqual(listLinks('[a](x.md#b) `[c](d)` ![e](f.png)\n```\n[g](h)\n```'), ['x.md#b', 'f.png']);
});

test('every relative link of the README and every shipped markdown file resolves inside the packed tarball, anchors included', async (t) => {
  if (!(await requirePackageTools(t))) return;
  const { stdout } = await run('tar', ['-tzf', await packTarball()], { maxBuffer: 16 * 1024 * 1024 });
  const packed = stdout.split('\n').map((p) => p.replace(/^package\//, ''));
  const problems: string[] = [];
  for (const doc of DOCS) assert.ok(packed.includes(doc), `${doc} is in the tarball`);
  for (const doc of packed.filter((p) => p.endsWith('.md'))) {
    for (const link of listLinks(readFileSync(join(ROOT, doc), 'utf8'))) {
      if (/^[a-z]+:/i.test(link)) continue; // https:, mailto:: not a file of ours
      const [path = '', anchor] = link.split('#');
      const target = path === '' ? doc : normalize(join(dirname(doc), path)).replace(/\/$/, '');
      const isFile = packed.includes(target);
      if (!isFile && !packed.some((p) => p.startsWith(`${target}/`))) {
        problems.push(`${doc}: ${link} (${target} is not in the tarball)`);
        continue;
      }
      if (anchor === undefined) continue;
      if (!isFile || !target.endsWith('.md'))
        problems.push(`${doc}: ${link} (an anchor into a non-markdown target)`);
      else if (!listAnchors(readFileSync(join(ROOT, target), 'utf8')).has(anchor))
        problems.push(`${doc}: ${link} (no heading #${anchor} in ${target})`);
    }
  }
  assert.deepEqual(problems, []);
});
