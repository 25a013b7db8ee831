// The `command` driver: any argv as the server, with chosen stop signals and readiness rule.
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { ReadySpec } from '../state/records/spec.js';
import { refuseAccess } from './access.js';
import { refuseSettings } from './settings.js';
import type { Driver, DriverContext, DriverOptions, DriverPlan } from './types.js';

// Check the command's argv and its single readiness rule (normalizeOptions already checked readyPort); errors name
// the library's options (the CLI says its flags).
function validateCommand(options: DriverOptions): void {
  refuseSettings('the command driver', options.settings);
  refuseAccess(
    'the command driver',
    options.access,
    ['user', 'password', 'database', 'auth'],
    'has no accounts',
  );
  if (options.tls)
    throw new UsageError('tls', true, 'the command driver has no listener of ours to put TLS on');
  if (options.args.length === 0 || options.args[0] === '') {
    throw new UsageError('args', options.args, 'the command driver needs the server command to run');
  }
  const keys = { file: 'readyFile', port: 'readyPort', log: 'readyLog' } as const;
  const rules = (['file', 'port', 'log'] as const).filter((k) => options.ready[k] !== undefined);
  if (rules.length > 1) {
    const second = rules[1] as 'file';
    throw new UsageError(
      keys[second],
      options.ready[second],
      (name) => `choose one of ${name('readyFile')}, ${name('readyPort')} or ${name('readyLog')}`,
    );
  }
  if (options.ready.log !== undefined) {
    try {
      new RegExp(options.ready.log);
    } catch (cause) {
      throw new UsageError('readyLog', options.ready.log, 'expected a valid regular expression', { cause });
    }
  }
}

// The readiness rule from the options (none when no --ready-* was given).
function buildReadySpec(options: DriverOptions, cwd: string): ReadySpec {
  const { file, port, log } = options.ready;
  if (file !== undefined) return { kind: 'file', path: isAbsolute(file) ? file : resolve(cwd, file) };
  if (port !== undefined) return { kind: 'port', host: '127.0.0.1', port };
  if (log !== undefined) return { kind: 'log', pattern: log };
  return { kind: 'none' };
}

export const commandDriver: Driver = {
  name: 'command',
  validate: validateCommand,
  async plan(ctx: DriverContext): Promise<DriverPlan> {
    const cwd = process.cwd();
    const env = { QUICKDB_ID: ctx.id, QUICKDB_DATA_DIR: ctx.dataDir, QUICKDB_STATE_DIR: ctx.stateDir };
    return {
      server: {
        argv: ctx.options.args,
        cwd,
        env: { ...(process.env as Record<string, string>), ...ctx.options.env, ...env },
        stopSignal: ctx.options.stopSignal ?? 'SIGTERM',
        fastStopSignal: ctx.options.fastStopSignal ?? 'SIGKILL',
      },
      ready: buildReadySpec(ctx.options, cwd),
      connection: { env },
    };
  },
};
