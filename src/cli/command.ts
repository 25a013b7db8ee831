// The shape of one CLI subcommand: its yargs definition, the call it makes of argv, and the handler that runs it.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';

/** The streams a command writes to (the bin's stdout and stderr, or a test's buffers). */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}

/** What parsing needs besides argv: the pid of the requester, the default parent of a new instance. */
export interface ParseContext {
  requester?: (() => number) | undefined;
}

/** One subcommand as its file under commands/ writes it (yargs `CommandModule` style). */
export interface CommandSpec<A, C> {
  /** The yargs command string, positionals included: `stop <id>`. */
  command: string;
  describe: string;
  /** The command's options, positionals and examples. */
  builder(y: Argv): Argv<A>;
  /** The call the handler receives: the parsed, checked options (throws UsageError on bad input). */
  toCall(args: ArgumentsCamelCase<A>, ctx: ParseContext): C | Promise<C>;
  /** Run the command; resolves to its exit code. */
  handler(call: C, io: CliIO): Promise<number>;
}

/** A parsed command line: the call, and the command's handler bound to it. */
export interface Invocation<C> {
  call: C;
  run(io: CliIO): Promise<number>;
}

/** A subcommand as the command table holds it: a yargs module that reports how to finish its parse. */
export interface CliCommand<C> {
  toModule(ctx: ParseContext, found: (finish: () => Promise<Invocation<C>>) => void): CommandModule;
  /** Run the handler on a call made without yargs (the fast path in simple.ts). */
  run(call: C, io: CliIO): Promise<number>;
  /** Make the call from arguments read without yargs, keyed as yargs keys them (the fast path's `up`). */
  toCall(args: Record<string, unknown>, ctx: ParseContext): Promise<C>;
}

/** Wrap one subcommand's spec for the command table in main.ts. */
export function defineCommand<A, C>(spec: CommandSpec<A, C>): CliCommand<C> {
  return {
    toModule: (ctx, found) => ({
      command: spec.command,
      describe: spec.describe,
      // --version is the top level's: a command's help does not list it (it still answers).
      builder: (y: Argv) => spec.builder(y).hide('version'),
      // The call is made once yargs is done (so toCall may load what it checks with lazily).
      handler: (args) =>
        found(async () => {
          const call = await spec.toCall(args as ArgumentsCamelCase<A>, ctx);
          return { call, run: (io) => spec.handler(call, io) };
        }),
    }),
    run: (call, io) => spec.handler(call, io),
    toCall: async (args, ctx) => spec.toCall(args as ArgumentsCamelCase<A>, ctx),
  };
}
