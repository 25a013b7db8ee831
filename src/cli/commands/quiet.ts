// `quiet <id>`: SIGHUP, so the watcher stops reporting server errors.
import { defineCommand } from '../command.js';
import { defineIdArg, runControl } from '../control-command.js';

export interface QuietCall {
  command: 'quiet';
  id: string;
}

/** `quiet`: the watcher keeps watching but no longer reports the server's errors. */
export const quiet = defineCommand({
  command: 'quiet <id>',
  describe: "stop reporting the server's errors (SIGHUP)",
  builder: (y) => defineIdArg(y).example('$0 quiet pg-1a2b3c4d', ''),
  toCall: (a): QuietCall => ({ command: 'quiet', id: String(a.id) }),
  handler: (call, io) => runControl(call.id, 'quiet', io),
});
