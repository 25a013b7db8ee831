// The package as users meet it: `npm pack`, installed into fresh ESM, CommonJS and TypeScript projects, run there
// by vitest, jest and node:test (2 workers, 2 files, a database per test), and SIGKILLed mid-run leaving nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Project, type ProjectKind, prepareProject, requirePackageTools } from './project.js';
import { type RunnerName, startRunner, waitHeld, waitNothingLeft } from './runs.js';

// How each runner reports a passing run of 2 files with 2 tests each.
const PASSED: Record<RunnerName, RegExp[]> = {
  vitest: [/Test Files {2}2 passed \(2\)/, /Tests {2}4 passed \(4\)/],
  jest: [/Test Suites: 2 passed, 2 total/, /Tests: {7}4 passed, 4 total/],
  'node-test': [/^# pass 4$/m, /^# fail 0$/m],
};

const KINDS: ProjectKind[] = ['esm', 'cjs', 'ts'];
const RUNNERS: RunnerName[] = ['vitest', 'jest', 'node-test'];
const projects = new Map<ProjectKind, Promise<Project>>();

// The project of a kind, installed once for every test of this file.
function useProject(kind: ProjectKind): Promise<Project> {
  let project = projects.get(kind);
  if (!project) {
    project = prepareProject(kind).then((p) => {
      process.stderr.write(`# ${kind} project: npm install took ${p.installMs} ms\n`);
      return p;
    });
    projects.set(kind, project);
  }
  return project;
}

for (const kind of KINDS) {
  for (const runner of RUNNERS) {
    test(`${kind} project, ${runner}: 2 files x 2 tests pass on 2 workers, each test on its own database; nothing is left`, async (t) => {
      if (!(await requirePackageTools(t))) return;
      const run = startRunner(t, await useProject(kind), runner);
      const { code } = await run.exited;
      const out = run.output();
      assert.equal(code, 0, out);
      for (const pattern of PASSED[runner]) assert.match(out, pattern, out);
      const tests = run.tests();
      assert.equal(tests.length, 4, JSON.stringify(tests));
      assert.equal(new Set(tests.map((s) => s.database)).size, 4, 'a database per test');
      assert.ok(new Set(tests.map((s) => s.pid)).size >= 2, 'the tests ran in at least two workers');
      await waitNothingLeft(run, []);
    });

    test(`${kind} project, ${runner}: SIGKILL of the runner mid-run leaves no process, dir, shared memory or IPC`, async (t) => {
      if (!(await requirePackageTools(t))) return;
      const run = startRunner(t, await useProject(kind), runner, true);
      const servers = await waitHeld(run, 2);
      process.kill(run.child.pid as number, 'SIGKILL'); // the runner's main process only
      assert.equal((await run.exited).signal, 'SIGKILL');
      await waitNothingLeft(run, servers);
    });
  }
}
