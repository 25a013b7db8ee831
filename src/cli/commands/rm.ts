// `rm <id>`: delete the data a stopped instance kept (`stop --keep`, SIGINT) and its record.
import { defineCommand } from '../command.js';
import { defineIdArg } from '../control-command.js';

export interface RmCall {
  command: 'rm';
  id: string;
}

/** `rm`: a stopped instance's kept data dir (only with our marker for that id) and its record are deleted. */
export const rm = defineCommand({
  command: 'rm <id>',
  describe:
    'delete the data dir a stopped instance kept (stop --keep) and its record; only a dir marked ours',
  builder: (y) => defineIdArg(y).example('$0 rm pg-1a2b3c4d', ''),
  toCall: (a): RmCall => ({ command: 'rm', id: String(a.id) }),
  handler: async (call, io) => {
    const { removeKeptInstance } = await import('../../api/remove-kept.js');
    const removal = removeKeptInstance(call.id);
    const data = removal.deleted ? `data dir ${removal.deleted} deleted` : 'no data dir left';
    io.out(`${call.id}: ${data}; record removed\n`);
    return 0;
  },
});
