// The systemd unit of an instance: ONE property list, rendered as a unit file or as a systemd-run argv.
import {
  checkUnitPath,
  checkUnitValue,
  escapeRunArgv,
  escapeSpecifiers,
  escapeUnitName,
  quoteEnvironment,
  renderExecLine,
} from './escape.js';

export type SystemdProp =
  | { section: 'Unit' | 'Service'; key: string; kind: 'plain'; value: string }
  | { section: 'Service'; key: string; kind: 'path'; prefix: string; path: string }
  | { section: 'Service'; key: string; kind: 'exec'; argv: string[] }
  | { section: 'Service'; key: string; kind: 'env'; name: string; value: string };

export interface SystemdUnit {
  /** Full unit name, e.g. quickdb-command-1a2b3c4d.service. */
  name: string;
  props: SystemdProp[];
}

/** What a unit runs: the watcher argv for start and post-stop, where it works and logs. */
export interface SystemdPlan {
  id: string;
  description: string;
  execStart: string[];
  execStopPost: string[];
  workingDirectory: string;
  logPath: string;
  timeoutStopMs: number;
  environment: Record<string, string>;
}

// The unit name of an instance: quickdb-<id>.service, the id escaped as systemd-escape would when needed.
export function unitNameFor(id: string): string {
  return `quickdb-${/^[A-Za-z0-9_.-]+$/.test(id) ? id : escapeUnitName(id)}.service`;
}

// Build the property list once; the unit file and systemd-run are both rendered from it.
export function buildSystemdUnit(plan: SystemdPlan): SystemdUnit {
  const svc = 'Service' as const;
  const props: SystemdProp[] = [
    { section: 'Unit', key: 'Description', kind: 'plain', value: plan.description },
    { section: 'Unit', key: 'CollectMode', kind: 'plain', value: 'inactive-or-failed' },
    { section: svc, key: 'Type', kind: 'plain', value: 'exec' },
    { section: svc, key: 'ExecStart', kind: 'exec', argv: plan.execStart },
    { section: svc, key: 'ExecStopPost', kind: 'exec', argv: plan.execStopPost },
    { section: svc, key: 'WorkingDirectory', kind: 'path', prefix: '', path: plan.workingDirectory },
    ...Object.entries(plan.environment).map(
      ([name, value]): SystemdProp => ({ section: svc, key: 'Environment', kind: 'env', name, value }),
    ),
    { section: svc, key: 'StandardOutput', kind: 'path', prefix: 'append:', path: plan.logPath },
    { section: svc, key: 'StandardError', kind: 'path', prefix: 'append:', path: plan.logPath },
    { section: svc, key: 'KillMode', kind: 'plain', value: 'mixed' },
    { section: svc, key: 'KillSignal', kind: 'plain', value: 'SIGTERM' },
    { section: svc, key: 'TimeoutStopSec', kind: 'plain', value: `${plan.timeoutStopMs}ms` },
    { section: svc, key: 'Restart', kind: 'plain', value: 'no' },
  ];
  for (const p of props) {
    if (p.kind === 'path') checkUnitPath(p.key, p.path);
    if (p.kind === 'plain') checkUnitValue(p.key, p.value);
  }
  return { name: unitNameFor(plan.id), props };
}

// A property's value in unit-file syntax or in `systemd-run -p` syntax.
function renderPropValue(prop: SystemdProp, target: 'unit' | 'run'): string {
  const escapeValue = target === 'unit' ? escapeSpecifiers : (s: string) => s;
  // In a unit file a line ending in "\" continues on the next line: a trailing backslash must never end a value.
  const unit = target === 'unit';
  switch (prop.kind) {
    case 'plain':
      return escapeValue(unit ? prop.value.replace(/\\+$/, '') : prop.value);
    case 'path':
      // Only directories can end in "\" here (files are runner.log); "dir\/" names the same directory.
      return escapeValue(`${prop.prefix}${prop.path}${unit && prop.path.endsWith('\\') ? '/' : ''}`);
    case 'exec':
      return renderExecLine(prop.argv, target);
    case 'env':
      return quoteEnvironment(prop.name, prop.value, target);
  }
}

// The [Section] -> "Key=Value" lines of the unit file, in property-list order.
export function renderUnitSections(unit: SystemdUnit): { name: string; lines: string[] }[] {
  return (['Unit', 'Service'] as const).map((name) => ({
    name,
    lines: unit.props.filter((p) => p.section === name).map((p) => `${p.key}=${renderPropValue(p, 'unit')}`),
  }));
}

// The systemd-run argv (without the leading "systemd-run") for the same properties.
export function buildSystemdRunArgs(unit: SystemdUnit, scope: 'user' | 'system' = 'user'): string[] {
  const args = [`--${scope}`, `--unit=${unit.name}`];
  let execStart: string[] = [];
  for (const p of unit.props) {
    if (p.kind === 'exec' && p.key === 'ExecStart') execStart = p.argv;
    else if (p.key === 'Description' && p.kind === 'plain') args.push(`--description=${p.value}`);
    else if (p.key === 'CollectMode' && p.kind === 'plain' && p.value === 'inactive-or-failed')
      args.push('--collect');
    else if (p.key === 'Type' && p.kind === 'plain') args.push(`--service-type=${p.value}`);
    else args.push('-p', `${p.key}=${renderPropValue(p, 'run')}`);
  }
  return [...args, '--', ...execStart.map(escapeRunArgv)];
}
