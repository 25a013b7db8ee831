// The shapes passed from the parser to each command: one CommandCall per command, and the output streams.
import type { StartOptions } from '../launcher/options.js';

export type UpFormat = 'text' | 'json' | 'env';
export type GenerateTarget = 'systemd' | 'systemd-run' | 'launchd';

export interface GenerateCall {
  command: 'generate';
  target: GenerateTarget;
  options: StartOptions;
  parentGiven: boolean;
  out?: string;
  templates?: string;
}

export type CommandCall =
  | { command: 'up'; options: StartOptions; format: UpFormat }
  | { command: 'exec'; options: StartOptions; argv: string[] }
  | { command: 'stop'; id: string; keep: boolean }
  | { command: 'kill'; id: string }
  | { command: 'quiet'; id: string }
  | { command: 'status'; id: string | undefined; json: boolean }
  | { command: 'list'; json: boolean }
  | { command: 'gc'; dryRun: boolean }
  | { command: 'snapshots'; action: 'list' | 'clear'; json: boolean }
  | GenerateCall;

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}
