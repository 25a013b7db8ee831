// Reading a `$GITHUB_ENV` file the way the GitHub Actions runner does: `NAME=value` lines, and `NAME<<DELIMITER`
// heredocs whose value is every line up to a line that is exactly the delimiter.
import assert from 'node:assert/strict';

/** The variables a GITHUB_ENV text sets, later lines winning; a malformed line or an unclosed heredoc fails. */
export function parseGithubEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (eq > 0 && (heredoc < 0 || eq < heredoc)) {
      env[line.slice(0, eq)] = line.slice(eq + 1);
      continue;
    }
    assert.ok(heredoc > 0, `GITHUB_ENV line ${i + 1} is neither NAME=value nor NAME<<DELIMITER: ${line}`);
    const delimiter = line.slice(heredoc + 2);
    const end = lines.indexOf(delimiter, i + 1);
    assert.ok(end > i, `GITHUB_ENV line ${i + 1}: no closing ${delimiter}`);
    env[line.slice(0, heredoc)] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return env;
}
