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
    const { describeUnit, inspectInstance } = await import('../../api/instances.js');
    const view = inspectInstance(call.id);
    if (!view)
      throw new UsageError('ID', call.id, 'no such instance; `quickdb-watcher list` shows the instances');
    const unit = await describeUnit(view);
    const { formatDetails } = await import('../table.js');
    const { spec: _spec, ...rest } = view;
    const { describeConnection } = await import('../../api/connection.js');
    const shown = describeConnection(view);
    io.out(call.json ? `${JSON.stringify({ ...rest, unit, ...shown })}\n` : formatDetails(view, unit, shown));
    return 0;
  },
});
