// `kill <id>`: fast eliminate (SIGUSR1) and wait for the watcher to finish.
import { defineCommand } from '../command.js';
import { defineIdArg, runControl } from '../control-command.js';

export interface KillCall {
  command: 'kill';
  id: string;
}

/** `kill`: the fast stop signal at once, SIGKILL after the fast grace. */
export const kill = defineCommand({
  command: 'kill <id>',
  describe: 'fast eliminate (SIGUSR1): fast stop signal at once, SIGKILL after the fast grace; waits',
  builder: (y) => defineIdArg(y).example('$0 kill pg-1a2b3c4d', ''),
  toCall: (a): KillCall => ({ command: 'kill', id: String(a.id) }),
  handler: (call, io) => runControl(call.id, 'kill', io),
});
