// `status [ID]`: one instance in detail (with its unit), or all of them.
import { loadBackend } from '../../backends/index.js';
import { UsageError } from '../../errors.js';
import { inspectInstance } from '../../launcher/inventory.js';
import { resolveStateRoot } from '../../state/paths.js';
import { formatDetails } from '../table.js';
import type { CliIO, CommandCall } from '../types.js';

// Run `status`; without an id it is `list`.
export async function run(call: CommandCall, io: CliIO): Promise<number> {
  if (call.command !== 'status') return 2;
  if (call.id === undefined) return (await import('./list.js')).run({ command: 'list', json: call.json }, io);
  const view = inspectInstance(resolveStateRoot(), call.id);
  if (!view)
    throw new UsageError('ID', call.id, 'no such instance; `quickdb-watcher list` shows the instances');
  const backend = view.spec ? await loadBackend(view.spec.backend).catch(() => null) : null;
  const unit = view.spec && backend?.describeUnit ? await backend.describeUnit(view.spec) : null;
  const { spec: _spec, ...rest } = view;
  io.out(call.json ? `${JSON.stringify({ ...rest, unit })}\n` : formatDetails(view, unit));
  return 0;
}
