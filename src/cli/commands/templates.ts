// `templates list|clear`: the cached template data dirs that new database instances are cloned from.
import { clearTemplates, listTemplates, resolveTemplatesDir } from '../../drivers/templates/cache.js';
import type { CliIO, CommandCall } from '../types.js';

function formatSize(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
}

// Run `templates list` or `templates clear`.
export async function run(call: CommandCall, io: CliIO): Promise<number> {
  if (call.command !== 'templates') return 2;
  const dir = resolveTemplatesDir();
  if (call.action === 'clear') {
    const { removed, kept } = clearTemplates(dir);
    io.out(`removed ${removed.length} template entr${removed.length === 1 ? 'y' : 'ies'} from ${dir}\n`);
    for (const k of kept) io.out(`kept ${k}: it is being built right now\n`);
    return 0;
  }
  const templates = listTemplates(dir);
  if (call.json) {
    io.out(`${JSON.stringify(templates)}\n`);
    return 0;
  }
  if (templates.length === 0) {
    io.out(`no templates in ${dir}\n`);
    return 0;
  }
  io.out(`templates in ${dir}:\n`);
  for (const t of templates) {
    io.out(
      `  ${t.key.padEnd(44)} ${formatSize(t.bytes).padStart(9)}  built ${t.createdAt} in ${t.buildMs} ms\n`,
    );
  }
  return 0;
}
