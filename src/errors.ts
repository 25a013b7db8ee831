// The project's two error kinds: bad input (exit 2) and runtime failure (exit 1), both keeping `cause`.
/** How a message names an option: the library says its own names (`stopGraceMs`), the CLI its flags (`--stop-grace`). */
export type OptionNamer = (option: string) => string;

/** What an option allows: a text, or a text written through an {@link OptionNamer} when it names other options. */
export type AllowedText = string | ((name: OptionNamer) => string);

const keepName: OptionNamer = (option) => option;

// A value as a message repeats it: JSON, else "[function]", else its string form (undefined, a BigInt, a cycle).
function quoteValue(value: unknown): string {
  if (typeof value === 'function') return '[function]';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Bad input: the message names the option, repeats the value and says what is allowed. The CLI exits with code 2.
 *
 * @example
 * ```ts
 * try { await startServer({ stopGraceMs: -1 }); }
 * catch (e) { if (e instanceof UsageError) console.log(e.option); } // "stopGraceMs"
 * ```
 */
export class UsageError extends Error {
  /** The exit code the CLI uses for bad input: 2. */
  readonly exitCode = 2;
  /** The option that was refused, by its library name (`stopGraceMs`, `port`, `migrate`…); the CLI shows its flag. */
  readonly option: string;
  /** The value that was refused, as it was given. */
  readonly value: unknown;
  /** What the option allows (or why the value was refused). */
  readonly allowed: string;
  #allowed: AllowedText;
  /** A message written as it is (not made of option, value and allowed): kept when the error is renamed. */
  #written: boolean;

  /** Bad input for `option`: the message is `<option>: <value as JSON> is not valid: <allowed>`. */
  constructor(option: string, value: unknown, allowed: AllowedText, options?: ErrorOptions) {
    const text = typeof allowed === 'string' ? allowed : allowed(keepName);
    // Nothing given is said as missing ("--server is missing: …"), not as the value `undefined`.
    super(
      value === undefined
        ? `${option} is missing: ${text}`
        : `${option}: ${quoteValue(value)} is not valid: ${text}`,
      options,
    );
    this.name = 'UsageError';
    this.option = option;
    this.value = value;
    this.allowed = text;
    this.#allowed = allowed;
    this.#written = false;
  }

  /** A usage error whose text is already written (the argument parser's own message, an unknown option). */
  static fromMessage(
    message: string,
    option = '(arguments)',
    value: unknown = '',
    options?: ErrorOptions,
  ): UsageError {
    const error = new UsageError(option, value, message, options);
    error.message = message;
    error.#written = true;
    return error;
  }

  /** The same error with its options named by `name` (the CLI names its flags); its `cause` is kept. */
  renamed(name: OptionNamer): UsageError {
    const option = name(this.option);
    const keep = this.cause === undefined ? {} : { cause: this.cause };
    if (this.#written) return UsageError.fromMessage(this.message, option, this.value, keep);
    const allowed = this.#allowed;
    // A later renaming names the options as this one did, then its own way (library names, then CLI flags).
    const text: AllowedText =
      typeof allowed === 'string' ? allowed : (next) => allowed((mention) => next(name(mention)));
    return new UsageError(option, this.value, text, keep);
  }
}

/** Something failed at run time (a server would not start, a stop failed). The CLI exits with code 1. */
export class QuickdbError extends Error {
  /** The exit code the CLI uses for a failure: 1. */
  readonly exitCode = 1;
  /** A failure; `details` holds more to read (log tails), `cause` the error underneath. */
  constructor(message: string, options?: ErrorOptions & { details?: string }) {
    super(message, options);
    this.name = 'QuickdbError';
    this.details = options?.details;
  }
  /** More to read: the tails of the watcher and server logs when a start failed. */
  readonly details: string | undefined;
}

// A write that failed for lack of room or rights, named by its file (Node's message says only "write"); other
// errors are returned as they are.
export function describeWriteFailure(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT' && code !== 'EROFS' && code !== 'EACCES') return error;
  return new QuickdbError(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
}

// The exit code an error maps to: 2 for bad input, 1 for anything else.
export function getExitCode(error: unknown): number {
  return error instanceof UsageError ? 2 : 1;
}
