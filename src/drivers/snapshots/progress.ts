// Progress on stderr while something slow runs: a spinner on a terminal, plain lines otherwise. One owner per
// process: the latest task still running spins on its own line; a task it interrupted is left as a line of its own
// ("… running the migrations once") and spins again, on a new line, once the later one is done.
export interface Progress {
  /** What the task has got to, e.g. a download's bar: drawn beside its text on a terminal, not printed otherwise. */
  update(detail: string): void;
  done(text: string): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

interface Task {
  text: string;
  detail: string;
  started: number;
}

/** The tasks running now on the terminal, oldest first: the last one spins. */
const running: Task[] = [];
const spinner = { frame: 0, timer: null as NodeJS.Timeout | null, onLine: false };

// Draw the spinning task's frame over the current line.
function draw(stream: NodeJS.WriteStream): void {
  const top = running.at(-1);
  if (!top) return;
  const secs = ((Date.now() - top.started) / 1000).toFixed(1);
  const detail = top.detail ? ` ${top.detail}` : '';
  stream.write(`\r\x1b[K${FRAMES[spinner.frame++ % FRAMES.length]} ${top.text}${detail} ${secs}s`);
  spinner.onLine = true;
}

// Start a task on a terminal: the one spinning so far keeps its line, the new one spins below it.
function startSpinner(text: string, stream: NodeJS.WriteStream): Progress {
  const paused = running.at(-1);
  if (paused && spinner.onLine) stream.write(`\r\x1b[K… ${paused.text}\n`);
  const task: Task = { text, detail: '', started: Date.now() };
  running.push(task);
  draw(stream);
  if (!spinner.timer) {
    spinner.timer = setInterval(() => draw(stream), 80);
    spinner.timer.unref();
  }
  return {
    update: (detail) => {
      if (detail === task.detail) return;
      task.detail = detail;
      if (running.at(-1) === task) draw(stream);
    },
    done: (outcome) => {
      const at = running.indexOf(task);
      if (at < 0) return;
      running.splice(at, 1);
      stream.write(`\r\x1b[K✔ ${outcome} (${Date.now() - task.started} ms)\n`);
      spinner.onLine = false;
      if (running.length > 0) return draw(stream);
      if (spinner.timer) clearInterval(spinner.timer);
      spinner.timer = null;
    },
  };
}

// Announce `text` now; the returned done() prints the outcome (and stops the spinner).
export function startProgress(text: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) return startSpinner(text, stream);
  const started = Date.now();
  stream.write(`quickdb-watcher: ${text}...\n`);
  return {
    update: () => {},
    done: (outcome) => {
      stream.write(`quickdb-watcher: ${outcome} (${Date.now() - started} ms)\n`);
    },
  };
}
