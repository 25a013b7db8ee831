// `generate`: an instance prepared (spec.json, data dir) but not launched, and the unit definition that runs it.
import { backendOfTarget, type GenerateTarget, renderDefinition } from '../generate/definition.js';
import { normalizeOptions, type StartOptions } from '../launch/options/normalize.js';
import { preferDiskForUnits } from '../launch/placement.js';
import { prepareInstance } from '../launch/prepare.js';
import { writePreparedStatus } from '../launch/prepared.js';
import { loadValidDriver } from '../launch/valid-driver.js';
import { writeDefinitionFiles } from './out-dir.js';

export type { GenerateTarget };

/** How to generate: the parent only when one was named, templates overriding the built-in ones, an out dir. */
export interface GenerateChoices {
  parentGiven: boolean;
  templates?: string | undefined;
  out?: string | undefined;
}

/** What was generated: the instance, its spec, the definition, and the files written (with an out dir). */
export interface Generated {
  id: string;
  specPath: string;
  content: string;
  written: { file: string; specCopy: string } | null;
}

// Prepare the instance and render its definition (written into `out` when given). The definition runs the spec in
// the instance's state dir, so `stop ID` works on it too.
export async function generateDefinition(
  target: GenerateTarget,
  start: StartOptions,
  choices: GenerateChoices,
): Promise<Generated> {
  const backend = backendOfTarget(target);
  // A definition outlives the shell that generated it: no parent unless --parent was given.
  const options = normalizeOptions({
    ...start,
    backend,
    ...(choices.parentGiven ? {} : { parent: 'none' as const }),
  });
  options.dataOn = preferDiskForUnits(options.dataOn);
  const driver = await loadValidDriver(options);
  const prepared = await prepareInstance(options, driver, backend);
  // Prepared, not started: gc leaves it alone, `list` shows it, `stop ID` removes it.
  writePreparedStatus(prepared.spec, prepared.paths);
  let definition: ReturnType<typeof renderDefinition>;
  try {
    const specPath = { specPath: prepared.paths.spec };
    definition = renderDefinition(target, prepared.spec, specPath, choices.templates);
  } catch (error) {
    prepared.discard();
    throw error;
  }
  const id = prepared.spec.id;
  const specPath = prepared.paths.spec;
  const written = choices.out ? await writeDefinitionFiles(choices.out, definition, prepared.spec) : null;
  return { id, specPath, content: definition.content, written };
}
