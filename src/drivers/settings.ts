// Server settings (`--set KEY=VALUE`, `settings: {…}`): checked once for every engine, then each engine maps them to
// its own form; and the rule that settings and raw server arguments never open or change a listener or its auth.
import { type AllowedText, UsageError } from '../errors.js';

/** A server setting's value as the library takes it: a boolean becomes the engine's own on/off word. */
export type SettingValue = string | number | boolean;

/** Settings by name, as given. */
export type Settings = Record<string, SettingValue>;

/** A setting's name: letters, digits, `_`, `-` and `.` (PostgreSQL's `auto_explain.log_min_duration`). */
const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;

// Check the settings option: an object of names to strings, finite numbers or booleans, no line breaks or NULs.
export function normalizeSettings(option: string, value: unknown): Settings {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(
      option,
      value,
      'expected an object of setting names to values, e.g. { wal_level: "logical" }',
    );
  const settings: Settings = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (!NAME.test(name))
      throw new UsageError(
        option,
        { [name]: v },
        `"${name}" is not a setting name: expected letters, digits, "_", "-" or "."`,
      );
    const fine =
      typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string';
    if (!fine || /[\n\r\0]/.test(String(v)))
      throw new UsageError(
        option,
        { [name]: v },
        `the value of ${name} must be a string, number or boolean on one line`,
      );
    settings[name] = v as SettingValue;
  }
  return settings;
}

/** A listener or auth setting an engine refuses, and what to use instead (said through the option namer). */
export interface GuardedName {
  /** The engine's name for it, in the normalized form the engine's matcher gives. */
  name: string;
  /** What does it safely instead. */
  instead: AllowedText;
}

/** What to use instead of a setting that opens or changes a listener or its auth. */
export const INSTEAD = {
  port: ((name) => `use ${name('port')} (a loopback TCP port that needs a password)`) as AllowedText,
  socket: "the unix socket always sits in the instance's own 0700 dir",
  auth: ((name) => `use ${name('password')} (or ${name('auth')}: 'trust' on 127.0.0.1 only)`) as AllowedText,
  tls: ((name) => `use ${name('tls')} (a per-instance certificate)`) as AllowedText,
  config: 'a config file could open a listener behind our back; give each setting on its own',
} as const;

// Refuse `given` (a setting or raw argument) when `matches` finds it among the guarded names.
export function refuseGuarded(
  option: string,
  given: unknown,
  key: string,
  guarded: readonly GuardedName[],
  matches: (guard: string) => boolean,
): void {
  const hit = guarded.find((g) => matches(g.name));
  if (!hit) return;
  const instead = hit.instead;
  throw new UsageError(option, given, (name) => {
    const text = typeof instead === 'string' ? instead : instead(name);
    return `${key} opens or changes a listener or its auth, which is ours to set: ${text}`;
  });
}

/** How a server reads its command line, for the guard: long `--name[=value]` options, and getopt clusters of short
 *  letters (`-Fi` is `-F -i`) where a value-taking letter ends the cluster (`-p5432`) or takes the next argument. */
export interface ArgGrammar {
  /** Check a long option's name. */
  long(name: string): void;
  /** Check a short letter, and its value when it takes one (undefined when it takes none). */
  short(letter: string, value: string | undefined): void;
  /** The letters that take a value. */
  takesValue: string;
}

// Walk raw server arguments as the server would read them, letting the grammar check each option.
export function walkServerArgs(args: readonly string[], grammar: ArgGrammar): void {
  for (let i = 0; i < args.length; i++) {
    const arg = String(args[i]);
    const long = /^--([^=]+)/.exec(arg);
    if (long) grammar.long(long[1] ?? '');
    if (long || !/^-[A-Za-z]/.test(arg)) continue;
    for (let j = 1; j < arg.length; j++) {
      const letter = arg.charAt(j);
      if (!grammar.takesValue.includes(letter)) {
        grammar.short(letter, undefined);
        continue;
      }
      grammar.short(letter, j + 1 < arg.length ? arg.slice(j + 1) : String(args[++i] ?? ''));
      break;
    }
  }
}

// A boolean in the engine's words; other values as text.
export function formatSetting(value: SettingValue, yes: string, no: string): string {
  if (value === true) return yes;
  if (value === false) return no;
  return String(value);
}

// Refuse settings for a driver that takes none (the command driver: its server's own arguments say everything).
export function refuseSettings(driver: string, settings: Settings): void {
  if (Object.keys(settings).length === 0) return;
  throw new UsageError(
    'settings',
    settings,
    `${driver} takes no server settings; give the server's own arguments`,
  );
}
