// What a started instance hands to the suite beyond the engine's own variables: the `exportEnv` names, and the env
// file written before anything connects.
import { removeEnvFile, type WrittenEnvFile, writeEnvFile } from './env-file.js';
import { type ExportSource, fillExports } from './templates.js';

/** The export options, normalized. */
export interface ExportOptions {
  exports: Record<string, string>;
  envFile: string | undefined;
}

/** Undo what applyExports wrote (the env file, when it is still ours). */
export type ExportsUndo = () => void;

// Add the exported names to the instance's env (a chosen name replaces one of the engine's; an empty template removes
// it, e.g. `--env PGSSLMODE=` for a suite whose clients must pick their own) and write the env file with all of them
// and QUICKDB_ID.
export function applyExports(info: ExportSource, options: ExportOptions): ExportsUndo {
  for (const [name, value] of Object.entries(fillExports(options.exports, info))) {
    if (options.exports[name] === '') delete info.env[name];
    else info.env[name] = value;
  }
  if (options.envFile === undefined) return () => {};
  const written: WrittenEnvFile = writeEnvFile(options.envFile, { ...info.env, QUICKDB_ID: info.id });
  return () => removeEnvFile(written);
}
