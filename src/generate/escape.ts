// Escaping for systemd unit files, systemd-run arguments, unit names (as systemd-escape), plist XML and shells.
import { UsageError } from '../errors.js';

// Quote a value for a POSIX shell.
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

const UNIT_NAME_SAFE = /^[A-Za-z0-9:_.]$/;

// Escape a string into one unit-name component exactly as `systemd-escape STRING` does.
export function escapeUnitName(text: string): string {
  let out = '';
  let first = true;
  for (const ch of text) {
    if (ch === '/') out += '-';
    else if ((first && ch === '.') || !UNIT_NAME_SAFE.test(ch)) {
      for (const byte of Buffer.from(ch, 'utf8')) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    } else out += ch;
    first = false;
  }
  return out;
}

// Double `%` so systemd does not expand specifiers (unit files only; systemd-run -p does not expand them).
export function escapeSpecifiers(text: string): string {
  return text.replaceAll('%', '%%');
}

// Double `$` so systemd does not expand environment variables in a command line.
function escapeDollar(text: string): string {
  return text.replaceAll('$', '$$$$');
}

// C-style escape inside double quotes, as systemd's unquoting (EXTRACT_CUNESCAPE) reads it back.
function cEscape(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

// Refuse NUL, which no argv, path or environment value can carry.
function refuseNul(what: string, text: string): void {
  if (text.includes('\0')) throw new UsageError(what, text, 'must not contain a NUL character');
}

// One Exec*= word for a unit file: quoted, C-escaped, with `$` and `%` doubled; a lone `;` becomes `\;`.
export function quoteExecArgForUnit(arg: string): string {
  if (arg === ';') return '\\;';
  return escapeSpecifiers(quoteExecArgForRun(arg));
}

// One Exec*= word for `systemd-run -p`: quoted, C-escaped, `$` doubled (no specifier expansion there). A lone `;`
// stays quoted, `";"`: systemd-run's parser refuses `\;` there (systemd 252: "Failed to parse command line").
function quoteExecArgForRun(arg: string): string {
  refuseNul('command argument', arg);
  return `"${escapeDollar(cEscape(arg))}"`;
}

// A whole Exec*= value (argv) for a unit file or for `systemd-run -p`.
export function renderExecLine(argv: readonly string[], target: 'unit' | 'run'): string {
  return argv.map(target === 'unit' ? quoteExecArgForUnit : quoteExecArgForRun).join(' ');
}

// An argv word passed after `systemd-run --`: systemd still expands `$VAR` there, so `$` is doubled.
export function escapeRunArgv(arg: string): string {
  refuseNul('command argument', arg);
  return escapeDollar(arg);
}

// An Environment= assignment for a unit file or `systemd-run -p`: quoted and C-escaped (`%` doubled in units).
export function quoteEnvironment(name: string, value: string, target: 'unit' | 'run'): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new UsageError(
      'environment name',
      name,
      'expected letters, digits and "_", not starting with a digit',
    );
  }
  refuseNul(`environment ${name}`, value);
  const quoted = `"${cEscape(`${name}=${value}`)}"`;
  return target === 'unit' ? escapeSpecifiers(quoted) : quoted;
}

// True when text holds a control character (C0 or DEL) other than those allowed.
export function hasControlChar(text: string, allowed = ''): boolean {
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if ((code < 0x20 || code === 0x7f) && !allowed.includes(ch)) return true;
  }
  return false;
}

// A path setting (WorkingDirectory=, StandardError=append:): taken verbatim, so refuse what cannot be written.
export function checkUnitPath(what: string, path: string): string {
  if (hasControlChar(path) || path !== path.trim() || !path.startsWith('/')) {
    throw new UsageError(
      what,
      path,
      'a systemd unit needs an absolute path without control characters or surrounding spaces',
    );
  }
  return path;
}

// A plain setting (Description=, a signal name): one line, so refuse control characters.
export function checkUnitValue(what: string, value: string): string {
  if (hasControlChar(value))
    throw new UsageError(what, value, 'a systemd unit setting cannot hold control characters');
  return value;
}

// True when XML 1.0 cannot carry the text at all, even as character references.
export function isXmlUnsafe(text: string): boolean {
  return hasControlChar(text.replaceAll('\x7f', ''), '\t\n\r') || /[\ufffe\uffff]/.test(text);
}

// Escape text for a plist <string>; refuses characters XML cannot represent. CR, NEL and LINE SEPARATOR go as
// character references: an XML parser may read them as line ends (xmldom turns all three into \n).
export function escapeXml(text: string): string {
  if (isXmlUnsafe(text)) {
    throw new UsageError(
      'plist value',
      text,
      'launchd plists cannot hold control characters other than tab and newline',
    );
  }
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\r', '&#13;')
    .replaceAll('\u0085', '&#133;')
    .replaceAll('\u2028', '&#8232;');
}
