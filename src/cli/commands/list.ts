// `list`: every instance of this user, as a table or JSON.
import { listInstances } from '../../launcher/inventory.js';
import { resolveStateRoot } from '../../state/paths.js';
import { ID_PATTERN } from '../../state/spec.js';
import { formatTable } from '../table.js';
import type { CliIO, CommandCall } from '../types.js';

// Run `list`.
export async function run(call: CommandCall, io: CliIO): Promise<number> {
  if (call.command !== 'list') return 2;
  // Dirs whose names are not instance ids (a launcher's `.claim-*` staging dir) are housekeeping for gc, not instances.
  const views = listInstances(resolveStateRoot()).filter((v) => ID_PATTERN.test(v.id));
  io.out(call.json ? `${JSON.stringify(views.map(({ spec: _s, ...v }) => v))}\n` : formatTable(views));
  return 0;
}
