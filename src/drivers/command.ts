// The `command` driver: any argv as the server, with chosen stop signals and readiness rule.
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { ReadySpec } from '../state/spec.js';
import type { Driver, DriverContext, DriverOptions, DriverPlan } from './types.js';

// Check the command's argv and its single readiness rule (normalizeOptions already checked --ready-port).
function validateCommand(options: DriverOptions): void {
  if (options.args.length === 0 || options.args[0] === '') {
    throw new UsageError('-- ARGV', options.args, 'the command driver needs the server command after "--"');
  }
  const rules = (['file', 'port', 'log'] as const).filter((k) => options.ready[k] !== undefined);
  if (rules.length > 1) {
    throw new UsageError(
      `--ready-${rules[1]}`,
      options.ready[rules[1] as 'file'],
      'choose one of --ready-file, --ready-port or --ready-log',
    );
  }
  if (options.ready.log !== undefined) {
    try {
      new RegExp(options.ready.log);
    } catch (cause) {
      throw new UsageError('--ready-log', options.ready.log, 'expected a valid regular expression', {
        cause,
      });
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
