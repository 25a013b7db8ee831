// The driver interface: what each engine tells the launcher about starting and reaching its server.
import type { NormalizedOptions } from '../launcher/options.js';
import type { ReadySpec, ServerSpec } from '../state/spec.js';

export interface DriverContext {
  id: string;
  options: NormalizedOptions;
  dataDir: string;
  stateDir: string;
  /** True when the data dir was just created (or adopted empty) and needs initialising. */
  fresh: boolean;
}

export interface Connection {
  url?: string;
  env: Record<string, string>;
}

export interface DriverPlan {
  server: ServerSpec;
  ready: ReadySpec;
  connection: Connection;
  info?: Record<string, unknown>;
}

export interface Driver {
  name: string;
  // Validate driver-specific options before anything is created.
  validate(options: NormalizedOptions): void;
  // Prepare the data dir and say how to run and reach the server.
  plan(context: DriverContext): Promise<DriverPlan>;
}
