// `env <id>`: the `export NAME='value'` lines of a running instance, so a shell can reconnect to it.
import { defineCommand } from '../command.js';
import { defineIdArg } from '../control-command.js';

export interface EnvCall {
  command: 'env';
  id: string;
}

/** `env`: what `up --format env` printed for the instance, read back from its record (exit 1 when not running). */
export const env = defineCommand({
  command: 'env <id>',
  describe: 'print the export lines of a running instance (as `up --format env` does), for eval in a shell',
  builder: (y) => defineIdArg(y).example('eval "$($0 env pg-1a2b3c4d)"', 'reconnect this shell'),
  toCall: (a): EnvCall => ({ command: 'env', id: String(a.id) }),
  handler: async (call, io) => {
    const { readConnection } = await import('../../api/connection.js');
    const { formatExports, instanceEnv } = await import('../format.js');
    const connection = readConnection(call.id);
    io.out(formatExports(instanceEnv({ id: call.id, env: connection.env })));
    return 0;
  },
});
