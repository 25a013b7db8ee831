// A log's last lines, as they go into an error's details.
import { readFileSync } from 'node:fs';

// The last lines of a file, or '' when it cannot be read.
function readTail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

// "<label> (<path>):" and the log's tail, or "(empty)": the details of an error about a start.
export function describeLogTail(label: string, path: string): string {
  return `${label} (${path}):\n${readTail(path) || '(empty)'}`;
}
