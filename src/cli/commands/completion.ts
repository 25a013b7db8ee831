// `completion`: print the bash or zsh completion script (yargs writes it; main() answers the words it asks for).
import { defineCommand } from '../command.js';

export interface CompletionCall {
  command: 'completion';
}

// The script yargs would print for `quickdb-watcher completion` (zsh's when $SHELL is zsh), captured, not logged.
async function readCompletionScript(): Promise<string> {
  const { default: yargs } = await import('yargs');
  return new Promise((resolve) => {
    yargs(['completion'])
      .scriptName('quickdb-watcher')
      .completion('completion', false)
      .exitProcess(false)
      .parse(['completion'], {}, (_error, _args, output) => resolve(output));
  });
}

/** `completion`: a command of ours (not yargs' own), so `completion --help` is help. */
export const completion = defineCommand({
  command: 'completion',
  describe: 'print the bash or zsh completion script (eval it, or add it to ~/.bashrc)',
  builder: (y) =>
    y
      .example('eval "$($0 completion)"', 'complete commands, drivers and ids in this shell')
      .example('$0 completion >> ~/.bashrc', 'and in every new one'),
  toCall: (): CompletionCall => ({ command: 'completion' }),
  handler: async (_call, io) => {
    io.out(`${await readCompletionScript()}\n`);
    return 0;
  },
});
