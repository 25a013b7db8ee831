// `status [id] [--json]`: one instance in detail (with its unit and url; JSON with its env too), or all of them.
import { UsageError } from '../../errors.js';
import { defineCommand } from '../command.js';
import { runList } from './list.js';

export interface StatusCall {
  command: 'status';
  id: string | undefined;
  json: boolean;
}

/** `status`: without an id it is `list`. */
export const status = defineCommand({
  command: 'status [id]',
  describe: 'show one instance (or all) with its phase, pids, backend and unit',
  builder: (y) =>
    y
      .positional('id', { type: 'string', describe: 'instance id (default: all)' })
      .option('json', { type: 'boolean', default: false, describe: 'JSON for scripts' })
      .example('$0 status pg-1a2b3c4d --json', ''),
  toCall: (a): StatusCall => ({
    command: 'status',
    id: a.id === undefined ? undefined : String(a.id),
    json: Boolean(a.json),
  }),
  handler: async (call, io) => {
    if (call.id === undefined) return runList({ command: 'list', json: call.json }, io);
    const { inspectInstance } = await import('../../manage/inventory.js');
    const { findStateRoot } = await import('../state-root.js');
    const view = inspectInstance(await findStateRoot(), call.id);
    if (!view)
      throw new UsageError('ID', call.id, 'no such instance; `quickdb-watcher list` shows the instances');
    const { loadBackend } = await import('../../backends/index.js');
    const { formatDetails } = await import('../table.js');
    const backend = view.spec ? await loadBackend(view.spec.backend).catch(() => null) : null;
    const unit = view.spec && backend?.describeUnit ? await backend.describeUnit(view.spec) : null;
    const { spec: _spec, ...rest } = view;
    const { describeConnection } = await import('../../manage/shown-connection.js');
    const shown = describeConnection(view);
    io.out(call.json ? `${JSON.stringify({ ...rest, unit, ...shown })}\n` : formatDetails(view, unit, shown));
    return 0;
  },
});
