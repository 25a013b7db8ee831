// The connection under the names a suite reads (`--env TEST_DB_PORT={port}`, library `exportEnv`): templates checked
// before anything starts, filled from the instance's own connection once it is ready.
import { join } from 'node:path';
import { UsageError } from '../../errors.js';

/** What the templates are filled from: a started instance's id, URL, env and state dir. */
export interface ExportSource {
  id: string;
  url?: string;
  env: Record<string, string>;
  stateDir: string;
}

/** What a template may name, each read from the instance's connection (empty where the engine has none). */
const PLACEHOLDERS: Readonly<Record<string, (info: ExportSource) => string | undefined>> = {
  url: (i) => i.url,
  host: (i) => i.env.PGHOST ?? i.env.MYSQL_HOST ?? i.env.REDIS_HOST,
  port: (i) => i.env.PGPORT ?? i.env.MYSQL_PORT ?? i.env.REDIS_PORT,
  user: (i) =>
    i.env.PGUSER ??
    i.env.MYSQL_USER ??
    (i.env.REDIS_URL?.startsWith('redis://default:') ? 'default' : undefined),
  password: (i) => i.env.PGPASSWORD ?? i.env.MYSQL_PASSWORD ?? i.env.REDIS_PASSWORD,
  database: (i) => i.env.PGDATABASE ?? i.env.MYSQL_DATABASE ?? i.env.REDIS_DB,
  socket: (i) =>
    i.env.MYSQL_UNIX_PORT ?? i.env.REDIS_SOCKET ?? (i.env.PGHOST ? join(i.stateDir, 'sock') : undefined),
  id: (i) => i.id,
};

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ALLOWED = `a variable name, and a template of text and ${Object.keys(PLACEHOLDERS)
  .map((p) => `{${p}}`)
  .join(', ')}`;

// Check the exportEnv option: variable names to templates whose placeholders are all known.
export function normalizeExports(option: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(option, value, `expected an object of ${ALLOWED}`);
  const exports: Record<string, string> = {};
  for (const [name, template] of Object.entries(value as Record<string, unknown>)) {
    if (!NAME.test(name) || typeof template !== 'string' || /[\n\r\0]/.test(template))
      throw new UsageError(option, { [name]: template }, `expected ${ALLOWED}, on one line`);
    for (const [, placeholder = ''] of template.matchAll(/\{([^}]*)\}/g))
      if (!(placeholder in PLACEHOLDERS))
        throw new UsageError(
          option,
          { [name]: template },
          `{${placeholder}} is not known; expected ${ALLOWED}`,
        );
    exports[name] = template;
  }
  return exports;
}

// The variables the templates give for a started instance.
export function fillExports(templates: Record<string, string>, info: ExportSource): Record<string, string> {
  const filled: Record<string, string> = {};
  for (const [name, template] of Object.entries(templates))
    filled[name] = template.replace(/\{([^}]*)\}/g, (_, p: string) => PLACEHOLDERS[p]?.(info) ?? '');
  return filled;
}
