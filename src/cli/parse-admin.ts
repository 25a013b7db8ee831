// Parser entries for the commands that act on existing instances: stop, kill, quiet, status, list, gc, snapshots.
import type { Argv } from 'yargs';
import type { CommandCall } from './types.js';

type Sink = (call: CommandCall) => void;

function idArg<T>(y: Argv<T>) {
  return y.positional('id', { type: 'string', demandOption: true, describe: 'instance id (see `list`)' });
}

// Register the instance-control and housekeeping commands on the parser.
export function defineAdminCommands<T>(y: Argv<T>, sink: Sink): Argv<T> {
  return y
    .command(
      'stop <id>',
      'stop an instance (SIGTERM; SIGINT with --keep) and wait until its watcher is gone',
      (c) =>
        idArg(c)
          .option('keep', { type: 'boolean', default: false, describe: 'keep the data dir' })
          .example('$0 stop pg-1a2b3c4d --keep', 'stop, keeping the data for a later `up --id pg-1a2b3c4d`'),
      (a) => sink({ command: 'stop', id: String(a.id), keep: Boolean(a.keep) }),
    )
    .command(
      'kill <id>',
      'fast eliminate (SIGUSR1): fast stop signal at once, SIGKILL after the fast grace; waits',
      (c) => idArg(c).example('$0 kill pg-1a2b3c4d', ''),
      (a) => sink({ command: 'kill', id: String(a.id) }),
    )
    .command(
      'quiet <id>',
      "stop reporting the server's errors (SIGHUP)",
      (c) => idArg(c).example('$0 quiet pg-1a2b3c4d', ''),
      (a) => sink({ command: 'quiet', id: String(a.id) }),
    )
    .command(
      'status [id]',
      'show one instance (or all) with its phase, pids, backend and unit',
      (c) =>
        c
          .positional('id', { type: 'string', describe: 'instance id (default: all)' })
          .option('json', { type: 'boolean', default: false, describe: 'JSON for scripts' })
          .example('$0 status pg-1a2b3c4d --json', ''),
      (a) =>
        sink({ command: 'status', id: a.id === undefined ? undefined : String(a.id), json: Boolean(a.json) }),
    )
    .command(
      'list',
      'list the instances of this user',
      (c) =>
        c
          .option('json', { type: 'boolean', default: false, describe: 'JSON for scripts' })
          .example('$0 list', ''),
      (a) => sink({ command: 'list', json: Boolean(a.json) }),
    )
    .command(
      'gc',
      'clean up after instances whose watcher is gone: orphan servers, marker-owned data dirs, units, state',
      (c) =>
        c
          .option('dry-run', { type: 'boolean', default: false, describe: 'only say what would be done' })
          .example('$0 gc --dry-run', ''),
      (a) => sink({ command: 'gc', dryRun: Boolean(a['dry-run']) }),
    )
    .command(
      'snapshots <action>',
      'list or remove the cached snapshot data dirs that new instances are cloned from',
      (c) =>
        c
          .positional('action', { choices: ['list', 'clear'] as const, demandOption: true })
          .option('json', { type: 'boolean', default: false, describe: 'list as JSON' })
          .example('$0 snapshots list', 'the cached snapshots, their engine, version and size')
          .example('$0 snapshots clear', 'remove them; the next start builds a fresh one'),
      (a) => sink({ command: 'snapshots', action: a.action as 'list' | 'clear', json: Boolean(a.json) }),
    );
}
