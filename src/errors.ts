// The project's two error kinds: bad input (exit 2) and runtime failure (exit 1), both keeping `cause`.
/** Bad input: names the option, repeats the value and says what is allowed. Exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly allowed: string,
    options?: ErrorOptions,
  ) {
    super(`${option}: ${JSON.stringify(value)} is not valid: ${allowed}`, options);
    this.name = 'UsageError';
  }

  /** A usage error whose text is already written (the argument parser's own message). */
  static fromMessage(message: string): UsageError {
    const error = new UsageError('(arguments)', '', message);
    error.message = message;
    return error;
  }
}

/** Something failed at run time (a server would not start, a stop failed). Exit code 1. */
export class QuickdbError extends Error {
  readonly exitCode = 1;
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
