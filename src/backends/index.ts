// Choosing a backend: an explicit name, or auto (systemd user manager, launchd on macOS, else detached).
import { UsageError } from '../errors.js';
import type { BackendChoice } from '../launcher/options.js';
import type { Backend, BackendChoiceResult, BackendName } from './types.js';

const LOADERS: Record<BackendName, () => Promise<Backend>> = {
  detached: async () => (await import('./detached.js')).detachedBackend,
  systemd: async () => {
    throw new UsageError(
      '--backend',
      'systemd',
      'the systemd backend is not available in this build; use detached',
    );
  },
  launchd: async () => {
    throw new UsageError(
      '--backend',
      'launchd',
      'the launchd backend is not available in this build; use detached',
    );
  },
};

// Load a backend by the name recorded in a spec.
export async function loadBackend(name: string): Promise<Backend> {
  const load = LOADERS[name as BackendName];
  if (!load) throw new UsageError('--backend', name, 'expected one of: systemd, launchd, detached');
  return load();
}

// Resolve a --backend choice; auto says why it chose.
export async function chooseBackend(choice: BackendChoice): Promise<BackendChoiceResult> {
  if (choice !== 'auto') return { backend: await loadBackend(choice), why: `--backend ${choice}` };
  return {
    backend: await loadBackend('detached'),
    why: 'auto: no init-system backend in this build, so detached',
  };
}
