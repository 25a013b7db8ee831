// Rendering definitions from the ejs templates in templates/, each overridable from a --templates dir.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { escapeXml, shellQuote } from './escape.js';
import type { LaunchdJob } from './plan.js';
import { buildSystemdRunArgs, renderUnitSections, type SystemdUnit } from './systemd.js';

export const TEMPLATE_FILES = {
  systemd: 'systemd.service.ejs',
  'systemd-run': 'systemd-run.sh.ejs',
  launchd: 'launchd.plist.ejs',
} as const;

export type TemplateName = keyof typeof TEMPLATE_FILES;

// The built-in templates dir (templates/ at the package root).
function builtinTemplatesDir(): string {
  return fileURLToPath(new URL('../../templates/', import.meta.url));
}

// Render one template: the override dir's file when it has one, else the built-in file.
function renderTemplate(name: TemplateName, data: Record<string, unknown>, overrideDir?: string): string {
  const file = TEMPLATE_FILES[name];
  const override = overrideDir ? join(overrideDir, file) : null;
  const path = override && existsSync(override) ? override : join(builtinTemplatesDir(), file);
  return ejs.render(readFileSync(path, 'utf8'), data, { filename: path });
}

// A unit file for the unit.
export function renderUnitFile(unit: SystemdUnit, overrideDir?: string): string {
  return renderTemplate('systemd', { unit, sections: renderUnitSections(unit) }, overrideDir);
}

// A shell script that starts the same unit through systemd-run.
export function renderSystemdRunScript(unit: SystemdUnit, overrideDir?: string): string {
  const argv = ['systemd-run', ...buildSystemdRunArgs(unit)];
  const dashes = argv.indexOf('--');
  const lines: string[] = [];
  for (let i = 0; i < dashes; i++) {
    const arg = argv[i] as string;
    lines.push(arg === '-p' ? `-p ${shellQuote(argv[++i] as string)}` : shellQuote(arg));
  }
  lines.push(argv.slice(dashes).map(shellQuote).join(' '));
  return renderTemplate('systemd-run', { unit, argv, command: lines.join(' \\\n  ') }, overrideDir);
}

// A launchd plist for the job.
export function renderPlist(job: LaunchdJob, overrideDir?: string): string {
  return renderTemplate('launchd', { job, esc: escapeXml }, overrideDir);
}
