// `list`: every instance of this user, as a table or JSON.
import { listInstances } from '../../launcher/inventory.js';
import { resolveStateRoot } from '../../state/paths.js';
import { formatTable } from '../table.js';
import type { CliIO, CommandCall } from '../types.js';

// Run `list`.
export async function run(call: CommandCall, io: CliIO): Promise<number> {
  if (call.command !== 'list') return 2;
  const views = listInstances(resolveStateRoot());
  io.out(call.json ? `${JSON.stringify(views.map(({ spec: _s, ...v }) => v))}\n` : formatTable(views));
  return 0;
}
