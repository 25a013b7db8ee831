// One definition file for a spec and target: a systemd unit, a systemd-run script or a launchd plist.
import type { Spec } from '../state/records/spec.js';
import { planLaunchd, planSystemd, type WatcherLocation } from './plan.js';
import { renderPlist, renderSystemdRunScript, renderUnitFile } from './render.js';
import { buildSystemdUnit } from './systemd.js';

export type GenerateTarget = 'systemd' | 'systemd-run' | 'launchd';

export interface Definition {
  fileName: string;
  content: string;
  mode: number;
}

// The backend a target's definition runs under.
export function backendOfTarget(target: GenerateTarget): 'systemd' | 'launchd' {
  return target === 'launchd' ? 'launchd' : 'systemd';
}

// Render the definition of a spec for a target; where says which node, watcher script and spec path it names.
export function renderDefinition(
  target: GenerateTarget,
  spec: Spec,
  where: WatcherLocation,
  templatesDir?: string,
): Definition {
  if (target === 'launchd') {
    const job = planLaunchd(spec, where);
    return { fileName: `${job.label}.plist`, content: renderPlist(job, templatesDir), mode: 0o644 };
  }
  const unit = buildSystemdUnit(planSystemd(spec, where));
  if (target === 'systemd')
    return { fileName: unit.name, content: renderUnitFile(unit, templatesDir), mode: 0o644 };
  return {
    fileName: unit.name.replace(/\.service$/, '.sh'),
    content: renderSystemdRunScript(unit, templatesDir),
    mode: 0o755,
  };
}
