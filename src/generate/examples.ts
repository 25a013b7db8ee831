// The checked-in examples in units/: fixed specs and paths, so the generator's output is deterministic.
import type { Spec } from '../state/records/spec.js';
import { renderDefinition } from './definition.js';
import type { WatcherLocation } from './plan.js';

const STATE = '/run/user/1000/quickdb-watcher';
const NODE = '/usr/bin/node';
const RUNNER = '/usr/lib/node_modules/quickdb-watcher/dist/runner.js';

// A fixed spec for the examples (the drivers write real ones; these only show the shape).
function exampleSpec(id: string, driver: string, server: Spec['server'], ready: Spec['ready']): Spec {
  const stateDir = `${STATE}/${id}`;
  return {
    version: 1,
    id,
    driver,
    backend: 'systemd',
    stateRoot: STATE,
    stateDir,
    dataDir: `${stateDir}/data`,
    dataDirReal: `${stateDir}/data`,
    cleanup: true,
    server,
    ready,
    readyTimeoutMs: 30_000,
    stopGraceMs: 10_000,
    fastGraceMs: 2000,
    pollMs: 50,
    parent: null,
  };
}

const EXAMPLE_SPECS: Spec[] = [
  exampleSpec(
    'postgresql-example',
    'postgresql',
    {
      argv: [
        '/usr/lib/postgresql/15/bin/postgres',
        '-D',
        `${STATE}/postgresql-example/data`,
        '-p',
        '54321',
        '-k',
        `${STATE}/postgresql-example`,
        '-c',
        'listen_addresses=127.0.0.1',
      ],
      cwd: `${STATE}/postgresql-example/data`,
      env: { LC_ALL: 'C' },
      stopSignal: 'SIGINT',
      fastStopSignal: 'SIGQUIT',
      shmRecord: 'postmaster.pid',
    },
    { kind: 'port', host: '127.0.0.1', port: 54321 },
  ),
  exampleSpec(
    'command-example',
    'command',
    {
      argv: ['/usr/bin/python3', '-m', 'http.server', '8080', '--directory', '/srv/my files (50% done)'],
      cwd: '/srv',
      env: { PATH: '/usr/bin:/bin', GREETING: 'hello $USER' },
      stopSignal: 'SIGTERM',
      fastStopSignal: 'SIGKILL',
    },
    { kind: 'port', host: '127.0.0.1', port: 8080 },
  ),
];

// Every example file: unit file, plist and the spec each one runs, by file name.
export function renderExamples(): { name: string; content: string }[] {
  const files: { name: string; content: string }[] = [];
  for (const spec of EXAMPLE_SPECS) {
    const where: WatcherLocation = {
      specPath: `${spec.stateDir}/spec.json`,
      nodePath: NODE,
      watcherPath: RUNNER,
    };
    for (const target of ['systemd', 'launchd'] as const) {
      const def = renderDefinition(
        target,
        { ...spec, backend: target === 'systemd' ? 'systemd' : 'launchd' },
        where,
      );
      files.push({ name: def.fileName, content: def.content });
    }
    files.push({ name: `${spec.id}.spec.json`, content: `${JSON.stringify(spec, null, 2)}\n` });
  }
  return files;
}
