// The README's CI recipe, run as far as this machine allows: each job's steps are taken from the README's YAML and
// run under bash in a fresh project that has the packed package, with GitHub's `$GITHUB_ENV` simulated (a file,
// read by the runner's rules before each later step). The setup steps (`uses:`, `apt-get`, `npm ci`) are the
// machine's own here and are not run; `npm test` is the project's test script, which connects to DATABASE_URL.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { listStateEntries, ROOT } from '../helpers/env.js';
import { parseGithubEnv } from '../helpers/github-env.js';
import { waitFor } from '../helpers/poll.js';
import { listFencedBlocks } from './markdown.js';
import { cleanEnv, prepareProject, requirePackageTools } from './project.js';

const run = promisify(execFile);
const YAML = listFencedBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'), 'yaml');
// What this machine already did for the job: checkout, Node, PostgreSQL's binaries, the install.
const SETUP = /^(apt-get |npm ci\b)/;
// The project's `npm test`: connect with the variables the step was given, say to which database.
const CHECK = `import pg from 'pg';
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
const { rows } = await client.query('SELECT current_database() AS db');
console.log('CONNECTED', rows[0].db, process.env.PGHOST, process.env.PGPORT);
await client.end();
`;

/** The YAML block of the README whose first line is `# <title>`. */
function findJob(title: string): { line: number; code: string } {
  const block = YAML.find((b) => b.code.split('\n')[0] === `# ${title}`);
  assert.ok(block, `README has a yaml block starting "# ${title}"`);
  return block;
}

/** A GitHub job's steps: each `run:` with the `if:` of its step. */
function listGithubSteps(yaml: string): { run: string; condition: string | undefined }[] {
  const steps = yaml.split(/\n\s*- (?=name:|run:|uses:)/).slice(1);
  return steps
    .map((step) => ({
      run: /(?:^|\n\s*)run: (.+)/.exec(step)?.[1],
      condition: /\n\s*if: (.+)/.exec(step)?.[1],
    }))
    .filter((s): s is { run: string; condition: string | undefined } => s.run !== undefined);
}

/** A GitLab job's script lines, before_script then script (one shell in GitLab). */
function listGitlabScript(yaml: string): string[] {
  const lines: string[] = [];
  let key = '';
  for (const line of yaml.split('\n')) {
    const section = /^\s+(\w+):\s*$/.exec(line)?.[1];
    if (section) key = section;
    const item = /^\s+- (.+)$/.exec(line)?.[1];
    if (item && (key === 'before_script' || key === 'script')) lines.push(item);
  }
  return lines;
}

interface Sandbox {
  dir: string;
  env: NodeJS.ProcessEnv;
  state: string;
}

// A fresh app dir inside the ESM project (so `npx quickdb-watcher` finds the packed package), with a private state root.
async function makeApp(t: TestContext): Promise<Sandbox | null> {
  if (!(await requirePackageTools(t))) return null;
  const project = await prepareProject('esm');
  const dir = mkdtempSync(join(project.dir, 'ci-app-'));
  const state = mkdtempSync(join(project.dir, 's-'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ type: 'module', scripts: { test: 'node check.mjs' } }),
  );
  writeFileSync(join(dir, 'check.mjs'), CHECK);
  return { dir, state, env: cleanEnv({ QUICKDB_WATCHER_STATE: state, CI: 'true' }) };
}

// Run one step's script as GitHub and GitLab do (bash, errexit), with extra variables; its stdout.
async function runStep(app: Sandbox, script: string, extra: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd: app.dir,
    env: { ...app.env, ...extra },
    timeout: 180_000,
  }).catch((e) => assert.fail(`step failed: ${script}\n${e.stdout}${e.stderr}`));
  return stdout;
}

// Nothing of the job's server is left: no instance in the state root, and its port refuses connections.
async function assertNothingLeft(app: Sandbox, port: string | undefined): Promise<void> {
  await waitFor('the instance to be gone', () => listStateEntries(app.state).length === 0);
  if (!port) return;
  const client = new pg.Client({ host: '127.0.0.1', port: Number(port), connectionTimeoutMillis: 5000 });
  await assert.rejects(client.connect(), /ECONNREFUSED/);
}

for (const title of ['.github/workflows/test.yml', '.gitlab-ci.yml']) {
  test(`README CI recipe ${title}: exec runs the tests against a throwaway PostgreSQL, then nothing is left`, async (t) => {
    const app = await makeApp(t);
    if (!app) return;
    const { code } = findJob(title);
    const script = title.startsWith('.github')
      ? listGithubSteps(code).map((s) => s.run)
      : listGitlabScript(code);
    const steps = script.filter((s) => !SETUP.test(s));
    assert.deepEqual(steps, ['npx quickdb-watcher exec -- npm test']);
    const out = await runStep(app, steps.join('\n'));
    const port = /^CONNECTED postgres 127\.0\.0\.1 (\d+)$/m.exec(out)?.[1];
    assert.ok(port, out);
    await assertNothingLeft(app, port);
  });
}

test('README CI recipe, one PostgreSQL across GitHub steps: up --format github-env >> $GITHUB_ENV, later steps connect, the always() step stops it', async (t) => {
  const app = await makeApp(t);
  if (!app) return;
  const githubEnv = join(app.dir, 'github_env');
  writeFileSync(githubEnv, '');
  t.after(() => runStep(app, 'npx quickdb-watcher stop ci-db || true').catch(() => {}));
  const steps = listGithubSteps(
    findJob('.github/workflows/test.yml: one PostgreSQL across steps').code,
  ).filter((s) => !SETUP.test(s.run));
  assert.equal(steps.at(-1)?.condition, 'always()', 'the last step always runs');
  assert.match(steps.at(-1)?.run ?? '', /quickdb-watcher stop/);
  const outputs: string[] = [];
  for (const step of steps) {
    const passed = parseGithubEnv(readFileSync(githubEnv, 'utf8'));
    outputs.push(await runStep(app, step.run, { ...passed, GITHUB_ENV: githubEnv }));
  }
  const passed = parseGithubEnv(readFileSync(githubEnv, 'utf8'));
  assert.match(passed.DATABASE_URL ?? '', /^postgresql:\/\//);
  const all = outputs.join('\n');
  assert.match(all, /PostgreSQL \d+/, 'the psql step connected through the PG* variables');
  assert.match(
    all,
    new RegExp(`^CONNECTED postgres 127\\.0\\.0\\.1 ${passed.PGPORT}$`, 'm'),
    'npm test connected',
  );
  assert.match(all, /ci-db: stopped; data dir deleted/);
  await assertNothingLeft(app, passed.PGPORT);
});
