// Signal names: parse what a user typed into a name the OS knows.
import { constants } from 'node:os';

export type SignalName = NodeJS.Signals;

// Normalise "term", "SIGTERM" or "15" to "SIGTERM"; null when the OS has no such signal.
export function parseSignal(value: unknown): SignalName | null {
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) {
    const num = Number(value);
    const found = Object.entries(constants.signals).find(([, n]) => n === num);
    return found ? (found[0] as SignalName) : null;
  }
  if (typeof value !== 'string') return null;
  const upper = value.trim().toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return name in constants.signals ? (name as SignalName) : null;
}

// The number of a signal, for 128+N exit codes.
export function signalNumber(name: SignalName): number {
  return constants.signals[name] ?? 0;
}
