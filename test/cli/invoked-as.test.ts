// Hints name the command as the user can run it: `npx quickdb-watcher …` when npm started us (npx, npm exec, an npm
// script), `quickdb-watcher …` from a global install or a PATH bin.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

// The environment without npm's marks, plus `extra` (how npx, npm exec or an npm script would start us).
function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const plain = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
  return { ...plain, ...extra };
}

const WAYS: [string, Record<string, string>, string][] = [
  ['a PATH bin', {}, 'quickdb-watcher'],
  [
    'npx',
    { npm_command: 'exec', npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js' },
    'npx quickdb-watcher',
  ],
  ['an npm script', { npm_lifecycle_event: 'db:up' }, 'npx quickdb-watcher'],
];

for (const [way, extra, spelled] of WAYS) {
  test(`run by ${way}: up says \`${spelled} stop ID\`, an error says \`${spelled} list\` and --help`, async (t) => {
    const env = envWith(extra);
    const up = await runCli(['up', 'redis', '--parent', 'none'], env);
    assert.equal(up.code, 0, up.stderr);
    const id = /^quickdb-watcher: (\S+) is ready \(redis [\d.]+\)$/m.exec(up.stdout)?.[1] as string;
    t.after(() => runCli(['stop', id], env));
    assert.ok(up.stdout.includes(`\n  stop it:    ${spelled} stop ${id}\n`), up.stdout);
    const stop = await runCli(['stop', 'no-such-id'], env);
    assert.equal(stop.code, 2);
    assert.ok(stop.stderr.includes(`\`${spelled} list\` shows the instances`), stop.stderr);
    assert.ok(stop.stderr.includes(`Run \`${spelled} --help\` for the commands`), stop.stderr);
    assert.doesNotMatch(
      stop.stderr,
      spelled === 'quickdb-watcher' ? /npx/ : /[^x] quickdb-watcher (list|--help)/,
    );
  });
}
