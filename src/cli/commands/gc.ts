// `gc [--dry-run]`: clean up after instances whose watcher is gone, and say what was done.
import { defineCommand } from '../command.js';

export interface GcCall {
  command: 'gc';
  dryRun: boolean;
}

/** `gc`: orphan servers, marker-owned data dirs, units and state of dead instances. */
export const gc = defineCommand({
  command: 'gc',
  describe:
    'clean up after instances whose watcher is gone: orphan servers, marker-owned data dirs, units, state',
  builder: (y) =>
    y
      .option('dry-run', { type: 'boolean', default: false, describe: 'only say what would be done' })
      .example('$0 gc --dry-run', ''),
  toCall: (a): GcCall => ({ command: 'gc', dryRun: Boolean(a['dry-run']) }),
  handler: async (call, io) => {
    const { collectGarbage } = await import('../../api/gc.js');
    const actions = await collectGarbage({ dryRun: call.dryRun });
    const prefix = call.dryRun ? 'would be ' : '';
    for (const a of actions) io.out(`${a.id}: ${prefix}${a.action}: ${a.detail}\n`);
    if (actions.length === 0) io.out('nothing to clean up\n');
    return 0;
  },
});
