// What the bin loads per command line: `--version` and `stop ID` load no parser, no dependency and no driver.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { runCli, upCommand } from '../helpers/cli.js';
import { CLI, ROOT, scratchDir } from '../helpers/env.js';
import { registerCleanup } from '../helpers/instance.js';

const run = promisify(execFile);

// A loader hook that writes each module URL the process loads to stderr (from the hooks thread).
const HOOKS = 'export async function load(u, c, n) { process._rawDebug("qdw-load " + u); return n(u, c); }';
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});`;

// Run the bin with args under the hook; its stdout and the modules it loaded (paths under the package root).
async function runTraced(args: string[], cwd = ROOT): Promise<{ stdout: string; loaded: string[] }> {
  const hook = `data:text/javascript,${encodeURIComponent(REGISTER)}`;
  const { stdout, stderr } = await run(process.execPath, ['--import', hook, CLI, ...args], { cwd });
  const loaded = stderr
    .split('\n')
    .filter((l) => l.startsWith('qdw-load file://'))
    .map((l) => l.slice('qdw-load file://'.length).replace(`${ROOT}/`, ''));
  return { stdout, loaded };
}

const HEAVY = /(^|\/)node_modules\/|^dist\/(drivers|generate\/(?!watcher-command))|^dist\/index\.js$/;

test('start path: --help loads yargs (the trace sees dependencies)', async () => {
  const { stdout, loaded } = await runTraced(['--help']);
  assert.match(stdout, /Commands:/);
  assert.ok(
    loaded.some((m) => /(^|\/)node_modules\/yargs\//.test(m)),
    loaded.join('\n'),
  );
});

test('start path: --version loads only the fast path and prints the package version from any cwd', async (t) => {
  const cwd = scratchDir(t, 'cwd-');
  writeFileSync(join(cwd, 'package.json'), '{"name":"someone-else","version":"9.9.9"}\n');
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const { stdout, loaded } = await runTraced(['--version'], cwd);
  assert.equal(stdout, `${version}\n`);
  assert.deepEqual(
    loaded.filter(
      (m) =>
        !/^dist\/(bin\/quickdb-watcher|cli\/(fatal|invoked-as|simple|report|version)|launch\/options\/flags|errors)\.js$/.test(
          m,
        ),
    ),
    [],
  );
});

test('start path: stop ID loads no parser, no dependency, no driver', async (t) => {
  const r = await upCommand('start-path-1');
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  registerCleanup(t, () => info);
  const { stdout, loaded } = await runTraced(['stop', 'start-path-1']);
  assert.match(stdout, /^start-path-1: stopped; data dir deleted\n$/);
  // The control path is one bundled file (scripts/bundle-cli.mjs): none of the modules it holds is read on its own.
  assert.ok(loaded.includes('dist/cli/control-path.js'), loaded.join('\n'));
  assert.deepEqual(
    loaded.filter((m) => /^dist\/(manage|state|launch)\//.test(m)),
    [],
  );
  assert.deepEqual(
    loaded.filter((m) => HEAVY.test(m)),
    [],
  );
});

test('start path: up in its common form loads no parser', async (t) => {
  // Redis: killed by the cleanup, it leaves nothing behind (PostgreSQL would leave its SysV memory).
  const args = ['up', 'redis', '--parent', 'none', '--format', 'json', '--id', 'start-path-2'];
  const { stdout, loaded } = await runTraced(args);
  const info = JSON.parse(stdout);
  registerCleanup(t, () => info);
  assert.equal(info.id, 'start-path-2');
  assert.deepEqual(
    loaded.filter((m) => /node_modules\/(yargs|yargs-parser|cliui)\/|^dist\/cli\/main\.js$/.test(m)),
    [],
  );
});

test('start path: the bundled control path throws the CLI’s own UsageError (exit 2, the usage hint)', async () => {
  for (const command of ['stop', 'kill', 'quiet']) {
    const r = await runCli([command, 'no-such-instance']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(
      r.stderr,
      'quickdb-watcher: ID: "no-such-instance" is not valid: no such instance; `quickdb-watcher list` shows the instances\n' +
        'Run `quickdb-watcher --help` for the commands and options.\n',
    );
  }
});
