// Choosing a backend: an explicit name, or auto (systemd user manager, launchd on macOS, else detached).
import { UsageError } from '../errors.js';
import {
  BACKEND_NAMES,
  type Backend,
  type BackendChoice,
  type BackendChoiceResult,
  type BackendName,
} from './types.js';
import { findNoUserManager } from './user-manager.js';

const LOADERS: Record<BackendName, () => Promise<Backend>> = {
  detached: async () => (await import('./detached.js')).detachedBackend,
  systemd: async () => (await import('./systemd.js')).systemdBackend,
  'systemd-system': async () => {
    if (process.getuid?.() !== 0) {
      throw new UsageError(
        'backend',
        'systemd-system',
        'the system manager needs root; use systemd (the user manager)',
      );
    }
    return (await import('./systemd.js')).makeSystemdBackend('system');
  },
  launchd: async () => (await import('./launchd.js')).launchdBackend,
};

// Load a backend by the name recorded in a spec.
export async function loadBackend(name: string): Promise<Backend> {
  const load = LOADERS[name as BackendName];
  if (!load) throw new UsageError('backend', name, `expected one of: ${BACKEND_NAMES.join(', ')}`);
  return load();
}

// Resolve a --backend choice; auto says why it chose.
export async function chooseBackend(choice: BackendChoice): Promise<BackendChoiceResult> {
  if (choice !== 'auto') return { backend: await loadBackend(choice), why: `--backend ${choice}` };
  // Without a runtime dir or a bus address no user manager can be reached: said without loading systemd.ts (execa).
  const probe = findNoUserManager() ?? (await (await import('./systemd.js')).probeSystemdUser());
  if (probe.ok) return { backend: await loadBackend('systemd'), why: `auto: ${probe.why}` };
  if (process.platform === 'darwin') {
    return { backend: await loadBackend('launchd'), why: `auto: macOS, so launchd (${probe.why})` };
  }
  return { backend: await loadBackend('detached'), why: `auto: ${probe.why}, so detached` };
}
