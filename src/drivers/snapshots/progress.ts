// Progress on stderr while something slow runs: a spinner on a terminal, plain lines otherwise.
export interface Progress {
  done(text: string): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

// Announce `text` now; the returned done() prints the outcome and stops the spinner.
export function startProgress(text: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  if (!stream.isTTY) {
    stream.write(`quickdb-watcher: ${text}...\n`);
    return {
      done: (outcome) => {
        stream.write(`quickdb-watcher: ${outcome} (${Date.now() - started} ms)\n`);
      },
    };
  }
  let frame = 0;
  const draw = (): void => {
    stream.write(
      `\r${FRAMES[frame++ % FRAMES.length]} ${text} ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
  };
  draw();
  const timer = setInterval(draw, 80);
  timer.unref();
  return {
    done: (outcome) => {
      clearInterval(timer);
      stream.write(`\r\x1b[K✔ ${outcome} (${Date.now() - started} ms)\n`);
    },
  };
}
