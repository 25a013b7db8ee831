// `stop <id> [--keep]`: SIGTERM (or SIGINT with --keep) and wait for the watcher to finish.
import { defineCommand } from '../command.js';
import { defineIdArg, runControl } from '../control-command.js';

export interface StopCall {
  command: 'stop';
  id: string;
  keep: boolean;
}

/** `stop`: the instance is stopped and, unless --keep, its data dir deleted. */
export const stop = defineCommand({
  command: 'stop <id>',
  describe: 'stop an instance (SIGTERM; SIGINT with --keep) and wait until its watcher is gone',
  builder: (y) =>
    defineIdArg(y)
      .option('keep', { type: 'boolean', default: false, describe: 'keep the data dir' })
      .example('$0 stop pg-1a2b3c4d --keep', 'stop, keeping the data for a later `up --id pg-1a2b3c4d`'),
  toCall: (a): StopCall => ({ command: 'stop', id: String(a.id), keep: Boolean(a.keep) }),
  handler: (call, io) => runControl(call.id, call.keep ? 'keep' : 'stop', io),
});
