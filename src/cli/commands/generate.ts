// `generate <target> [driver]`: prepare an instance (spec.json, data dir) without launching it, write its definition.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { GenerateTarget } from '../../api/generate.js';
import { UsageError } from '../../errors.js';
import type { StartOptions } from '../../index.js';
import { type CliIO, defineCommand } from '../command.js';
import { defineInstanceOptions, type InstanceArgs, toStartOptions } from '../instance-options.js';

export interface GenerateCall {
  command: 'generate';
  target: GenerateTarget;
  options: StartOptions;
  parentGiven: boolean;
  out?: string;
  templates?: string;
}

// Check that a --templates or --out value is a directory (--out may not exist yet).
function checkDir(option: string, dir: string, mayBeMissing: boolean): string {
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(option, dir, 'expected a directory');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (!mayBeMissing) throw new UsageError(option, dir, 'expected an existing directory');
  }
  return resolve(dir);
}

// Run `generate`: the definition runs the spec in the instance's state dir, so `stop ID` works on it too.
async function runGenerate(call: GenerateCall, io: CliIO): Promise<number> {
  const templates = call.templates === undefined ? undefined : checkDir('--templates', call.templates, false);
  const out = call.out === undefined ? undefined : checkDir('--out', call.out, true);
  const { generateDefinition } = await import('../../api/generate.js');
  const generated = await generateDefinition(call.target, call.options, {
    parentGiven: call.parentGiven,
    templates,
    out,
  });
  if (!generated.written) {
    io.out(generated.content);
    io.err(`quickdb-watcher: ${generated.id}: it runs ${generated.specPath}\n`);
    return 0;
  }
  const { file, specCopy } = generated.written;
  io.out(`${file}\n${specCopy}\n`);
  io.err(
    `quickdb-watcher: ${generated.id}: the definition runs ${generated.specPath} (copied to ${specCopy} for review)\n`,
  );
  return 0;
}

/** `generate`: the systemd unit, systemd-run script or launchd plist for an instance, run by its spec. */
export const generate = defineCommand({
  command: 'generate <target> [driver]',
  describe:
    'write the systemd unit, systemd-run script or launchd plist (plus its spec.json) for an instance',
  builder: (y) =>
    defineInstanceOptions(
      y.positional('target', {
        choices: ['systemd', 'systemd-run', 'launchd'] as const,
        demandOption: true,
        describe: 'a systemd unit file, a systemd-run script or a launchd plist',
      }),
    )
      // A definition outlives the shell that wrote it: it is bound to no process unless --parent names one.
      .option('parent', { type: 'string', describe: 'pid the instance lives with (default: none)' })
      // Refused here, so not listed: the target decides the backend; a unit cannot migrate or fill a pool.
      .option('backend', { hidden: true, default: undefined })
      .hide('migrate')
      .hide('migrate-command')
      .hide('migrate-hash')
      .hide('pool')
      .option('out', { type: 'string', describe: 'write the files into DIR (default: print the definition)' })
      .option('templates', {
        type: 'string',
        describe: 'DIR of .ejs files overriding the built-in templates',
      })
      .example('$0 generate systemd command --out units -- redis-server --port 7000', 'a unit file'),
  toCall: async (a, ctx): Promise<GenerateCall> => {
    if (a.backend !== undefined) {
      const allowed = 'generate takes the backend from TARGET (systemd or launchd); leave it out';
      throw new UsageError('--backend', a.backend, allowed);
    }
    return {
      command: 'generate',
      target: a.target,
      options: await toStartOptions(a as InstanceArgs, ctx.requester, 'unit'),
      parentGiven: a.parent !== undefined,
      ...(a.out !== undefined ? { out: String(a.out) } : {}),
      ...(a.templates !== undefined ? { templates: String(a.templates) } : {}),
    };
  },
  handler: runGenerate,
});
