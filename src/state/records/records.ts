// Reading spec.json back from disk: validated like input, and checked against where it was found (never its content).
import { basename, dirname, resolve } from 'node:path';
import { isPathWithin, resolveRealPath } from '../files/real-path.js';
import { getInstancePaths } from './paths.js';
import { ID_PATTERN, type Spec, SpecError } from './spec.js';
import { validateSpec } from './spec-validate.js';
import { type RecordReading, readRecord } from './status.js';

/** A record read back: the value, or why it cannot be used (missing: there was no file at all). */
export type Reading<T> = RecordReading<T>;

// Why a data dir path may not belong to the instance in stateDir, or null when it may.
function checkDataDirPath(
  field: string,
  dataDir: string,
  stateDir: string,
  stateRoot: string,
): SpecError | null {
  const data = resolve(dataDir);
  if (isPathWithin(stateRoot, data))
    return new SpecError(field, `${JSON.stringify(dataDir)} contains the state root ${stateRoot}`);
  if (isPathWithin(data, stateRoot) && !(isPathWithin(data, stateDir) && data !== stateDir)) {
    const where = `inside the state root ${stateRoot} but not inside this instance's own dir ${stateDir}`;
    return new SpecError(field, `${JSON.stringify(dataDir)} is ${where}`);
  }
  return null;
}

/** Why a valid spec does not belong where it was found (its dir `foundDir`), or null when it does. */
export function checkSpecLocation(spec: Spec, foundDir: string): SpecError | null {
  const dir = resolve(foundDir);
  const root = dirname(dir);
  if (spec.id !== basename(dir))
    return new SpecError('id', `${JSON.stringify(spec.id)} is not the name of its dir ${dir}`);
  if (resolve(spec.stateDir) !== dir)
    return new SpecError(
      'stateDir',
      `${JSON.stringify(spec.stateDir)} is not the dir it was found in, ${dir}`,
    );
  if (resolve(spec.stateRoot) !== root)
    return new SpecError(
      'stateRoot',
      `${JSON.stringify(spec.stateRoot)} is not the parent of its dir, ${root}`,
    );
  return (
    checkDataDirPath('dataDir', spec.dataDir, dir, root) ??
    checkDataDirPath('dataDirReal', spec.dataDirReal, dir, root) ??
    checkDataDirPath('dataDirReal', spec.dataDirReal, resolveRealPath(dir), resolveRealPath(root))
  );
}

/** Read, validate and locate the spec at path: the state dir is the dir it was found in. */
export function readSpecFile(path: string): Reading<Spec> {
  return readRecord(path, (raw) => {
    const spec = validateSpec(raw);
    const wrong = checkSpecLocation(spec, dirname(resolve(path)));
    if (wrong) throw wrong;
    return spec;
  });
}

/** The spec of instance `id` under stateRoot, read and checked by readSpecFile. */
export function readSpecAt(stateRoot: string, id: string): Reading<Spec> {
  // "../x" or "a/b" would name a dir outside the state root: there is no such instance.
  if (!ID_PATTERN.test(id))
    return { ok: false, missing: true, reason: `${JSON.stringify(id)} is not an instance id` };
  return readSpecFile(getInstancePaths(stateRoot, id).spec);
}
