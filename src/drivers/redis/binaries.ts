// redis-server: from --redis-bin, PATH or the usual sbin dirs, with its exact version.
import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { QuickdbError } from '../../errors.js';
import { findExecutable, listPathDirs } from '../../state/process/executables.js';
import { readVersionLine } from '../../state/process/tool-version.js';
import { findInBinDir } from '../bin-dir.js';

export interface RedisBinary {
  /** The path run, its dir resolved but not its name: Debian's redis-server is a link to redis-check-rdb that
   *  dispatches on the name it is run by. */
  binary: string;
  source: 'redis-bin' | 'PATH' | 'system';
  version: string;
}

const NAME = 'redis-server';

// Where redis-server is: the dir the user gave, else PATH, else the usual sbin dirs.
function locateRedisServer(
  redisBin: string | undefined,
  env: NodeJS.ProcessEnv,
): Omit<RedisBinary, 'version'> {
  if (redisBin !== undefined) {
    const expected = 'expected a Redis bin dir holding redis-server, such as /usr/bin';
    return { binary: findInBinDir('redisBin', redisBin, [NAME], expected), source: 'redis-bin' };
  }
  const onPath = findExecutable([NAME], listPathDirs(env));
  if (onPath) return { binary: onPath, source: 'PATH' };
  const system = findExecutable([NAME], ['/usr/sbin', '/usr/local/sbin']);
  if (system) return { binary: system, source: 'system' };
  throw new QuickdbError('Redis was not found: no redis-server on PATH', {
    details:
      'Install it: `apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS); ' +
      'or pass --redis-bin DIR.',
  });
}

// Find redis-server and read its version ("7.0.15"); a bad --redis-bin is a UsageError, none says what to install.
export function findRedisServer(
  redisBin: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): RedisBinary {
  const found = locateRedisServer(redisBin, env);
  // The dir resolved, the name kept (that name is what makes the binary a server).
  const binary = join(realpathSync(dirname(found.binary)), basename(found.binary));
  return { binary, source: found.source, version: /v=(\S+)/.exec(readVersionLine(binary))?.[1] ?? 'unknown' };
}
