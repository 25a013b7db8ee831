// Every JavaScript/TypeScript block of README.md, run or type-checked against the packed package in fresh projects,
// so the README cannot drift from what works on the oldest supported Node.
//
// The convention (an HTML comment on the line right before the block's opening fence, invisible on GitHub):
//   <!-- readme: run -->        run on the current Node (20 in CI) as an ES module in the fresh ESM project; it must
//                               exit 0 and leave nothing under its state root. A ts block is type-checked, then run
//                               by Node 24 (below): Node 20 runs no TypeScript.
//   <!-- readme: typecheck -->  type-checked only, by strict tsc (module nodenext) in the fresh TypeScript project;
//                               a js block with checkJs, for the errors a JavaScript user can meet (JS_ERRORS).
//   <!-- readme: node24 -->     for what Node 20 cannot parse (`await using`): type-checked, and run by Node 24
//                               (.node24/, installed by .ci/run; type stripping for ts) when it is there.
//   <!-- readme: vitest -->     a vitest project (its files, each under a `// name.js` line): type-checked like a js
//                               block, then `vitest run` in a fresh dir of the ESM project must pass every test.
//   … prelude=NAME              (after any of them) the lines PRELUDES[NAME] below are put before the block: the
//                               imports a fragment assumes (e.g. `<!-- readme: typecheck prelude=pg -->`).
// A block whose first line is a `// name.js` comment is several files: it is split at each such line, and each
// file is written under that name (they import each other). A js/ts block with no marker fails this test.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { DatabaseDriverName } from '../../dist/index.js';
import { requireEngine } from '../drivers/db.js';
import { listStateEntries, NODE24, ROOT, requireNode24 } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { cleanEnv, type Project, prepareProject, requirePackageTools } from './project.js';

const run = promisify(execFile);
// What a fragment may assume, by the name its marker gives.
const PRELUDES: Record<string, string> = { pg: "import pg from 'pg';" };
const MODES = ['run', 'typecheck', 'node24', 'vitest'] as const;
type Mode = (typeof MODES)[number];

interface Block {
  line: number;
  lang: 'js' | 'ts';
  mode: Mode | null;
  prelude: string | null;
  code: string;
}

/** The js/ts blocks of a markdown text, with the marker on the line before each. */
function extractBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(js|javascript|ts|typescript)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    assert.ok(end > i, `README.md:${i + 1}: the block has no closing fence`);
    const marker = /^<!-- readme: (\S+)(?: prelude=(\S+))? -->$/.exec(lines[i - 1] ?? '');
    const mode = MODES.find((m) => m === marker?.[1]) ?? null;
    const lang = open[1]?.startsWith('t') ? 'ts' : 'js';
    blocks.push({
      line: i + 1,
      lang,
      mode,
      prelude: marker?.[2] ?? null,
      code: lines.slice(i + 1, end).join('\n'),
    });
    i = end;
  }
  return blocks;
}

/** The files of a block: one, or one per `// name.ext` line when the block opens with one. */
function splitFiles(block: Block, name: string): Map<string, string> {
  const prelude = block.prelude === null ? '' : `${PRELUDES[block.prelude] ?? ''}\n`;
  assert.ok(
    block.prelude === null || PRELUDES[block.prelude],
    `README.md:${block.line}: no prelude ${block.prelude}`,
  );
  const files = new Map<string, string>();
  const header = /^\/\/ ([\w.-]+\.[cm]?[jt]s)$/;
  if (!header.test(block.code.split('\n')[0] ?? '')) {
    files.set(`${name}.${block.lang === 'ts' ? 'ts' : 'mjs'}`, prelude + block.code);
    return files;
  }
  let current = '';
  for (const line of block.code.split('\n')) {
    const file = header.exec(line)?.[1];
    if (file) current = file;
    files.set(current, file ? prelude : `${files.get(current)}${line}\n`);
  }
  return files;
}

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const BLOCKS = extractBlocks(README);

test('README: every js/ts block carries a marker saying how it is proven (run, typecheck or node24)', () => {
  assert.ok(BLOCKS.length > 0, 'the README has code blocks');
  const unmarked = BLOCKS.filter((b) => b.mode === null).map((b) => `README.md:${b.line}`);
  assert.deepEqual(
    unmarked,
    [],
    `add <!-- readme: run|typecheck|node24 --> before each (see ${import.meta.filename})`,
  );
});

// JavaScript users get no type errors from their editor, only these: syntax (TS1xxx), a module or export that is not
// there (2305, 2307, 2614, 2724), a property or method our types lack (2339, 2551), an unknown option key (2353), a wrong argument count (2554).
const JS_ERRORS = /\.[cm]?js\(\d+,\d+\): error TS(1\d{3}|2305|2307|2614|2724|2339|2551|2353|2554):/;

// Write the blocks under a fresh dir of the TypeScript project and run tsc there; its error lines.
async function typecheckBlocks(project: Project, blocks: Block[], js: boolean): Promise<string[]> {
  const dir = mkdtempSync(join(project.dir, js ? 'readme-js-' : 'readme-ts-'));
  for (const block of blocks) {
    const blockDir = join(dir, `block-${block.line}`);
    mkdirSync(blockDir);
    for (const [file, text] of splitFiles(block, 'main')) writeFileSync(join(blockDir, file), text);
  }
  const options = js ? { allowJs: true, checkJs: true, noImplicitAny: false } : {};
  const tsconfig = { extends: '../tsconfig.json', compilerOptions: options, include: ['**/*'] };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const tsc = join(project.dir, 'node_modules', '.bin', 'tsc');
  const out = await run(tsc, ['-p', dir], { cwd: project.dir, env: cleanEnv() }).then(
    () => '',
    (e) => `${e.stdout}${e.stderr}`,
  );
  const errors = out.split('\n').filter((l) => / error TS\d+:/.test(l));
  return js ? errors.filter((l) => JS_ERRORS.test(l)) : errors;
}

test('README: the typecheck, node24 and ts blocks pass tsc in a fresh TypeScript project', async (t) => {
  if (!(await requirePackageTools(t))) return;
  const project = await prepareProject('ts');
  const checked = BLOCKS.filter((b) => b.mode !== 'run' || b.lang === 'ts');
  const errors = [
    ...(await typecheckBlocks(
      project,
      checked.filter((b) => b.lang === 'ts'),
      false,
    )),
    ...(await typecheckBlocks(
      project,
      checked.filter((b) => b.lang === 'js'),
      true,
    )),
  ];
  assert.deepEqual(errors, [], 'tsc errors in README blocks (block-<README line>/<file>)');
});

/** The engines a block starts by name (`driver: 'redis'`); PostgreSQL, the default, requirePackageTools checks. */
function listNamedEngines(block: Block): DatabaseDriverName[] {
  return [...block.code.matchAll(/driver: '(mariadb|mysql|redis)'/g)].map((m) => m[1] as DatabaseDriverName);
}

// Run a program in a dir of a project, under a private state root that must be empty afterwards; its stdout.
async function runBlock(projectDir: string, cwd: string, file: string, args: string[]): Promise<string> {
  const state = mkdtempSync(join(projectDir, 's-'));
  const { stdout } = await run(file, args, {
    cwd,
    env: cleanEnv({ QUICKDB_WATCHER_STATE: state }),
    timeout: 180_000,
  }).catch((e) => assert.fail(`${file} ${args.join(' ')} failed:\n${e.stdout}${e.stderr}`));
  await waitFor(`${file}'s servers to be gone`, () => listStateEntries(state).length === 0);
  return stdout;
}

for (const block of BLOCKS.filter((b) => b.mode === 'run' || b.mode === 'node24')) {
  test(`README.md:${block.line}: the ${block.lang} block runs (${block.mode})`, async (t) => {
    if (!(await requirePackageTools(t)) || !requireEngine(t, ...listNamedEngines(block))) return;
    const node24 = block.mode === 'node24' || block.lang === 'ts';
    // Without Node 24 (local runs), such a block is only type-checked: a loud skip, a failure under REQUIRE=all.
    if (node24 && !requireNode24(t)) return;
    const project = await prepareProject(block.lang === 'ts' ? 'ts' : 'esm');
    const dir = mkdtempSync(join(project.dir, 'readme-run-'));
    const files = splitFiles(block, 'main');
    for (const [file, text] of files) writeFileSync(join(dir, file), text);
    const main = [...files.keys()].at(-1) as string; // a multi-file block runs its last file
    await runBlock(project.dir, project.dir, node24 ? NODE24 : process.execPath, [join(dir, main)]);
  });
}

for (const block of BLOCKS.filter((b) => b.mode === 'vitest')) {
  test(`README.md:${block.line}: the vitest project passes under vitest run`, async (t) => {
    if (!(await requirePackageTools(t))) return;
    const project = await prepareProject('esm');
    const dir = mkdtempSync(join(project.dir, 'readme-vitest-'));
    for (const [file, text] of splitFiles(block, 'main')) writeFileSync(join(dir, file), text);
    const vitest = join(project.dir, 'node_modules', '.bin', 'vitest');
    const out = await runBlock(project.dir, dir, vitest, ['run']);
    assert.match(out, /Tests {2}\d+ passed \(\d+\)/, out);
    assert.doesNotMatch(out, /failed|skipped/, out);
  });
}
