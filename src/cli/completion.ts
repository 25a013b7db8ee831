// Shell completion: what a shell offers after `quickdb-watcher …` (commands, drivers, targets, actions and the
// ids under the state root), and each command's options and their choices.
import { readdirSync } from 'node:fs';

/** The positionals each command takes, in order, by the kind of word a shell should offer there. */
const LAYOUT: Record<string, readonly Slot[]> = {
  up: ['driver'],
  exec: ['driver'],
  generate: ['target', 'driver'],
  stop: ['id'],
  kill: ['id'],
  quiet: ['id'],
  status: ['id'],
  env: ['id'],
  db: ['dbAction', 'id'],
  snapshots: ['snapshotsAction'],
};

type Slot = 'driver' | 'target' | 'id' | 'dbAction' | 'snapshotsAction';

/** The options of one command (or of none: the top level), and the choices of those that have them. */
export interface OptionTable {
  options: readonly string[];
  /** The flags that take no value (`--keep`, `--json`). */
  booleans: readonly string[];
  choices: Readonly<Record<string, readonly string[]>>;
}

/** The words to offer besides ids: commands, drivers, and each command's options (read only when needed). */
export interface CompletionWords {
  commands: readonly string[];
  drivers: readonly string[];
  readOptions(command: string | undefined): Promise<OptionTable>;
}

const FIXED: Record<Exclude<Slot, 'driver' | 'id'>, readonly string[]> = {
  target: ['systemd', 'systemd-run', 'launchd'],
  dbAction: ['create', 'drop', 'list'],
  snapshotsAction: ['list', 'clear'],
};

// The instance ids under the state root (its directories; dot-entries are bookkeeping), sorted.
function listInstanceIds(stateRoot: string): string[] {
  try {
    return readdirSync(stateRoot, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

// True when `word` is a flag whose value comes in the next word (`--format`, not `--keep` or `--format=json`).
function takesValue(word: string | undefined, table: OptionTable | null): boolean {
  if (!word?.startsWith('-') || word.includes('=')) return false;
  const name = word.replace(/^-+/, '');
  return !(table?.booleans.includes(name) || name.startsWith('no-'));
}

// The positional words (the command first), without the flags and the values they took.
function readPositionals(words: readonly string[], table: OptionTable | null): string[] {
  return words.filter((w, i) => !w.startsWith('-') && !takesValue(words[i - 1], table));
}

// An option's offers: the options themselves (`--form` → `--format`), or the choices of the one before the word.
function completeOption(current: string, previous: string | undefined, table: OptionTable): string[] {
  if (current.startsWith('-')) {
    return table.options.map((o) => `--${o}`).filter((o) => o.startsWith(current));
  }
  const choices = table.choices[(previous ?? '').replace(/^-+/, '')] ?? [];
  return choices.filter((c) => c.startsWith(current));
}

/**
 * The offers for the last word of `words` (the words after the program name; the last is the one being typed,
 * maybe empty). An option's value with no choices gets none (the shell then offers file names).
 */
export async function completeWords(
  words: readonly string[],
  known: CompletionWords,
  stateRoot: string,
): Promise<string[]> {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  if (before.includes('--')) return [];
  const command = before.find((w) => !w.startsWith('-'));
  const previous = before.at(-1);
  const table =
    before.some((w) => w.startsWith('-')) || current.startsWith('-')
      ? await known.readOptions(command)
      : null;
  if (table && (current.startsWith('-') || takesValue(previous, table)))
    return completeOption(current, previous, table);
  const rest = readPositionals(before, table).slice(1);
  const offers = (list: readonly string[]): string[] => list.filter((w) => w.startsWith(current));
  if (command === undefined) return offers(known.commands);
  const slot = LAYOUT[command]?.[rest.length];
  if (slot === undefined) return [];
  if (slot === 'driver') return offers(known.drivers);
  if (slot === 'id') return offers(listInstanceIds(stateRoot));
  return offers(FIXED[slot]);
}

/** The words a shell passed after `--get-yargs-completions`, without the program name it puts first. */
export function dropProgramName(words: readonly string[], commands: readonly string[]): string[] {
  const first = words[0];
  const isProgram = first !== undefined && words.length > 1 && !commands.includes(first);
  return isProgram && /(^|\/)quickdb-watcher(\.js)?$/.test(first) ? words.slice(1) : [...words];
}
