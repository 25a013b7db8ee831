// What `stop`, `kill` and `quiet` share: the <id> positional, and running the control action and saying what happened.
import type { Argv } from 'yargs';
import type { Status } from '../api/show.js';
import type { ControlAction } from '../index.js';
import type { CliIO } from './command.js';

// Add the required <id> positional of a control command.
export function defineIdArg<T>(y: Argv<T>) {
  return y.positional('id', { type: 'string', demandOption: true, describe: 'instance id (see `list`)' });
}

// Where a stop left the data kept: the command that deletes it.
function rmHint(id: string, status: Status | null): string {
  return status?.dataDir.state === 'kept' ? `; \`quickdb-watcher rm ${id}\` deletes it` : '';
}

// Run one control action on an instance and print the outcome; 0 when it took effect cleanly.
export async function runControl(id: string, action: ControlAction, io: CliIO): Promise<number> {
  // Loaded here: `--help` and `--version` need no launcher (one bundled file, see control-path.ts).
  const { controlInstance } = await import('./control-path.js');
  const result = await controlInstance(id, action);
  const status = result.status;
  if (!result.signalled) {
    if (result.removed !== undefined) {
      const out = `${id}: prepared instance (never started) removed; ${result.removed}\n`;
      if (result.ok) io.out(out);
      else io.err(`quickdb-watcher: ${id}: not removed: ${result.removed}\n`);
      return result.ok ? 0 : 1;
    }
    if (result.ok) {
      io.out(
        `${id}: already stopped (${status ? `data dir ${status.dataDir.state}` : 'state removed'})${rmHint(id, status)}\n`,
      );
      return 0;
    }
    const phase = status?.phase ?? 'unknown';
    io.err(
      `quickdb-watcher: the watcher of ${id} is not running (last phase: ${phase}); \`quickdb-watcher gc\` tidies leftovers\n`,
    );
    return 1;
  }
  if (action === 'quiet') {
    io.out(
      result.ok ? `${id}: errors are no longer reported\n` : `${id}: the watcher did not confirm quiet\n`,
    );
    return result.ok ? 0 : 1;
  }
  const data = status
    ? `data dir ${status.dataDir.state}${status.dataDir.reason ? ` (${status.dataDir.reason})` : ''}`
    : 'data dir deleted';
  const verb = action === 'kill' ? 'eliminated' : 'stopped';
  io.out(`${id}: ${verb}; ${data}${rmHint(id, status)}\n`);
  if (!result.ok) io.err(`quickdb-watcher: ${id}: ${status?.error ?? `ended in phase ${status?.phase}`}\n`);
  return result.ok ? 0 : 1;
}
