// Fresh projects as users make them: the package packed once per test run, installed with npm into new dirs.
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';
import { requirePostgres } from '../drivers/db.js';
import { FIXTURES, ROOT, requireOrSkip, testBase } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';

const run = promisify(execFile);

export type ProjectKind = 'esm' | 'cjs' | 'ts' | 'omit-optional' | 'clients';

/** Where the fixture files of each project kind are (copied into the fresh project). */
const PROJECT_FIXTURES = join(FIXTURES, 'projects');

// The majors of the runners each kind runs: every major the package supports runs from the tarball, none twice in
// one kind, so the matrix costs no extra project: the ESM project has what a new user gets today, the CommonJS one
// the previous majors, and the TypeScript one the majors this repo's own tsc does not check (its devDependencies are
// vitest 3 and jest 30). A bare name is the version this repo's lockfile holds (warm in npm's cache).
export const RUNNER_SPECS: Record<'esm' | 'cjs' | 'ts', { vitest: string; jest: string }> = {
  esm: { vitest: 'vitest@4', jest: 'jest' },
  cjs: { vitest: 'vitest', jest: 'jest@29' },
  ts: { vitest: 'vitest@4', jest: 'jest@29' },
};

// The runners and clients each kind installs beside the tarball.
const runners = (kind: keyof typeof RUNNER_SPECS): string[] => [...Object.values(RUNNER_SPECS[kind]), 'pg'];
const EXTRAS: Record<ProjectKind, string[]> = {
  esm: runners('esm'),
  cjs: runners('cjs'),
  // @jest/globals goes with jest's major; ts-jest 29 takes jest 29 and 30.
  ts: [...runners('ts'), 'typescript', 'ts-jest', '@types/node', '@types/pg', '@jest/globals@29'],
  'omit-optional': ['pg'],
  // The clients the README names, at today's majors from the registry (two majors where users still split);
  // kysely 0.28 is the last on Node 20.
  clients: [
    'pg',
    'postgres3@npm:postgres@3',
    'postgres4@npm:postgres@4',
    'knex',
    'kysely@0.28',
    'typeorm@1',
    'reflect-metadata',
    'mysql2',
    'mariadb@3',
    'ioredis',
    'redis4@npm:redis@4',
    'redis@6',
  ],
};
const FALLBACK: Record<string, string> = { 'ts-jest': '29' };

/** The major of a runner spec: the one it names, or that of the version this repo's node_modules holds. */
export function readSpecMajor(spec: string): string {
  return (/^@?[^@]+@(.+)$/.exec(pinned(spec))?.[1] ?? '').split('.')[0] as string;
}

/** The major of the runner a project has installed (its package.json, as npm put it there). */
export function readInstalledMajor(project: Project, runner: string): string {
  const { version } = JSON.parse(
    readFileSync(join(project.dir, 'node_modules', runner, 'package.json'), 'utf8'),
  );
  return String(version).split('.')[0] as string;
}

/** The package's own version (package.json). */
export const OWN_VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

// The spec npm installs for a package: as given when it names a version, else the version under this repo's
// node_modules, or a fallback range.
function pinned(name: string): string {
  if (/^@?[^@]+@/.test(name)) return name;
  try {
    return `${name}@${JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version}`;
  } catch {
    return `${name}@${FALLBACK[name] ?? 'latest'}`;
  }
}

// The environment a user's shell would give npm and the runners: none of the outer `npm test`'s npm_* settings,
// and not the node:test child marker of this test process.
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^npm_/i.test(key) && key !== 'NODE_TEST_CONTEXT' && key !== 'FORCE_COLOR') env[key] = value;
  return { ...env, NO_COLOR: '1', ...extra };
}

// Run npm with a timeout; its output is kept for the failure message.
async function runNpm(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run('npm', args, {
      cwd,
      env: cleanEnv({ TMPDIR: cwd }),
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout + stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}${e.stderr ?? ''}`, {
      cause: error,
    });
  }
}

/** Skip (or fail under QUICKDB_TEST_REQUIRE=all) when npm or PostgreSQL is missing. */
export async function requirePackageTools(t: TestContext): Promise<boolean> {
  const npm = await run('npm', ['--version'], { env: cleanEnv() }).then(
    () => true,
    () => false,
  );
  if (!requireOrSkip(t, npm, 'npm')) return false;
  return requirePostgres(t);
}

// The shared dir of this run's packed package and projects (reused by every test file of the run).
function packageBase(): string {
  const dir = join(testBase(), 'package');
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  if (process.getuid?.() === 0) chmodSync(dir, 0o711); // as root, the servers' user must reach the state roots
  return dir;
}

// Do `make` once per run across test processes: the first to take the lock builds, the others wait for `done`.
async function once(name: string, make: () => Promise<void>): Promise<string> {
  const dir = join(packageBase(), name);
  const done = join(packageBase(), `${name}.done`);
  try {
    mkdirSync(dir);
  } catch {
    await waitFor(`${name} to be prepared by another test process`, () => existsSync(done), 300_000, 200);
    return dir;
  }
  try {
    await make();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true }); // the next one retries
    throw error;
  }
  writeFileSync(done, '');
  return dir;
}

/** The tarball `npm pack` makes of this checkout (dist is built by `npm test` first), once per test run. */
export async function packTarball(): Promise<string> {
  const dir = await once('tarball', async () => {
    await runNpm(join(packageBase(), 'tarball'), [
      'pack',
      '--ignore-scripts',
      '--pack-destination',
      '.',
      ROOT,
    ]);
  });
  return join(dir, `quickdb-watcher-${OWN_VERSION}.tgz`);
}

export interface Project {
  kind: ProjectKind;
  dir: string;
  /** How long `npm install` took (ms), 0 when another test process made it. */
  installMs: number;
}

/** A fresh project of the kind, with the tarball and the kind's runners installed (once per test run), and the
 *  fixture files of test/fixtures/projects/<kind> copied in (again each time: the same files). */
export async function prepareProject(kind: ProjectKind): Promise<Project> {
  const tarball = await packTarball();
  let installMs = 0;
  const dir = await once(`project-${kind}`, async () => {
    const dir = join(packageBase(), `project-${kind}`);
    await runNpm(dir, ['init', '-y']); // the CommonJS default
    if (kind === 'esm' || kind === 'ts' || kind === 'clients')
      await runNpm(dir, ['pkg', 'set', 'type=module']);
    const started = Date.now();
    const omit = kind === 'omit-optional' ? ['--omit=optional'] : [];
    await runNpm(dir, [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      ...omit,
      tarball,
      ...EXTRAS[kind].map(pinned),
    ]);
    installMs = Date.now() - started;
  });
  const fixtures = join(PROJECT_FIXTURES, kind);
  if (existsSync(fixtures)) cpSync(fixtures, dir, { recursive: true });
  cpSync(join(PROJECT_FIXTURES, 'report.cjs'), join(dir, 'report.cjs'));
  // Every public export, as a strict TypeScript user meets it (the repo type-checks the same file against dist).
  if (kind === 'ts')
    for (const file of ['public-api.ts', 'integrations-api.ts'])
      cpSync(join(ROOT, 'test', 'types', file), join(dir, file));
  return { kind, dir, installMs };
}
