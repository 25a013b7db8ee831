// The backend interface: how a watcher is launched, signalled and released (systemd, launchd, detached).
import type { InstancePaths } from '../state/records/paths.js';
import type { Spec } from '../state/records/spec.js';
import type { Status } from '../state/records/status.js';

/** The backends, by the name a spec records. */
export const BACKEND_NAMES = ['systemd', 'systemd-system', 'launchd', 'detached'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What `--backend` accepts: a backend, or auto (systemd user manager, launchd on macOS, else detached). */
export const BACKEND_CHOICES = ['auto', ...BACKEND_NAMES] as const;
/** What the `backend` option takes: `'auto'`, `'systemd'`, `'systemd-system'`, `'launchd'` or `'detached'`. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface LaunchResult {
  /** systemd unit or launchd label, when there is one. */
  unit?: string;
  /** The watcher's pid when the backend knows it at once (detached). */
  watcherPid?: number;
}

/** A watcher started before its spec was written, waiting for the launcher to hand it the instance. */
export interface EarlyWatcher {
  /** spec.json is complete: the watcher may read it and start the server. */
  go(): Promise<LaunchResult>;
  /** There will be no instance: the watcher is ended (it has touched nothing); resolves once it is gone. */
  cancel(): Promise<void>;
}

export interface Backend {
  name: BackendName;
  // Start a watcher as soon as the instance's state dir is claimed, when the backend can (detached).
  prestart?(paths: InstancePaths): EarlyWatcher;
  // Start the watcher for spec (or hand spec to the early one); returns before it is ready.
  launch(spec: Spec, paths: InstancePaths, early?: EarlyWatcher): Promise<LaunchResult>;
  // Deliver a contract signal to the watcher.
  signal(spec: Spec, status: Status, signal: NodeJS.Signals): Promise<void>;
  // Forget whatever the init system still holds for the instance (no-op for detached).
  release(spec: Spec): Promise<void>;
  // The init system's name and state for the instance ("quickdb-x.service: active (running)"), when it has one.
  describeUnit?(spec: Spec): Promise<string | null>;
}

export interface BackendChoiceResult {
  backend: Backend;
  why: string;
}
