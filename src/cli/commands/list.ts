// `list [--json]`: every instance of this user, as a table or JSON (with each one's url and env).
import { type CliIO, defineCommand } from '../command.js';

export interface ListCall {
  command: 'list';
  json: boolean;
}

// Print every instance of this user (also `status` without an id).
export async function runList(call: ListCall, io: CliIO): Promise<number> {
  const { listInstances } = await import('../../api/instances.js');
  const { formatTable } = await import('../table.js');
  const views = listInstances();
  if (!call.json) {
    io.out(formatTable(views));
    return 0;
  }
  const { describeConnection } = await import('../../api/connection.js');
  const rows = views.map((view) => {
    const { spec: _s, ...v } = view;
    return { ...v, ...describeConnection(view) };
  });
  io.out(`${JSON.stringify(rows)}\n`);
  return 0;
}

/** `list`: the instances of this user. */
export const list = defineCommand({
  command: 'list',
  describe: 'list the instances of this user',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false, describe: 'JSON for scripts' })
      .example('$0 list', ''),
  toCall: (a): ListCall => ({ command: 'list', json: Boolean(a.json) }),
  handler: runList,
});
