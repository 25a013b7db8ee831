// `up` typed under the wrappers people put in front of a command (timeout, su, sudo, runuser, flock, nice, setsid…),
// in bash and dash, in a script, in a `sh -c` of its own and at an interactive prompt: the instance outlives the
// wrapper and the command and is bound to the shell that typed them, or `up` refuses; never a ready instance that
// dies with the wrapper.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { WRAPPERS } from '../../dist/parent/wrappers.js';
import { requireOrSkip } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import {
  checkBoundToShell,
  findUid,
  has,
  quote,
  type Started,
  startShell,
  TYPED_UP,
} from '../helpers/shell.js';

const SHELLS = ['bash', 'dash'] as const;
const USER = 'nobody';
// sudo resets the environment: the other user's state root is passed on by name.
const KEEP = '--preserve-env=QUICKDB_WATCHER_STATE,QUICKDB_WATCHER_RAM_DIR,TMPDIR';

type Mode = 'script' | 'sh -c' | 'interactive';
/** What `up` does under a wrapper: bound to the shell that typed it, or refused where its parent is already going. */
type Outcome = 'bound' | 'refused';

/** How to type the command under one wrapper, what must be installed for it, and whose instance it makes. */
interface Recipe {
  wrap: (cmd: string) => string;
  needs: string;
  user?: string;
  outcome?: Outcome | Partial<Record<Mode, Outcome>>;
}

// The wrappers, each as a user would type it, named by the walk's name for it (its process name) and the options.
const RECIPES: Record<string, Recipe> = {
  timeout: { wrap: (c) => `timeout 300 ${c}`, needs: 'timeout' },
  // bash's `time` keyword is no process; `command time` is the program in both shells.
  time: { wrap: (c) => `time ${c}`, needs: 'time' },
  'time (the program)': { wrap: (c) => `command time -p ${c}`, needs: 'time' },
  su: { wrap: (c) => `su -s /bin/sh ${USER} -c ${quote(c)}`, needs: 'su', user: USER },
  runuser: { wrap: (c) => `runuser -u ${USER} -- ${c}`, needs: 'runuser', user: USER },
  sudo: { wrap: (c) => `sudo -u ${USER} ${KEEP} ${c}`, needs: 'sudo', user: USER },
  sg: { wrap: (c) => `sg nogroup -c ${quote(c)}`, needs: 'sg' },
  flock: { wrap: (c) => `flock "$ID.lock" ${c}`, needs: 'flock' },
  strace: { wrap: (c) => `strace -o /dev/null ${c}`, needs: 'strace' },
  xargs: { wrap: (c) => `xargs ${c} </dev/null`, needs: 'xargs' },
  unshare: { wrap: (c) => `unshare --fork ${c}`, needs: 'unshare' },
  'setsid -w': { wrap: (c) => `setsid -w ${c}`, needs: 'setsid' },
  // A group leader (a job at an interactive prompt) is forked off by setsid, whose own process exits at once.
  setsid: { wrap: (c) => `setsid ${c}`, needs: 'setsid', outcome: { interactive: 'refused' } },
  'setsid -f': { wrap: (c) => `setsid -f ${c}`, needs: 'setsid', outcome: 'refused' },
  nohup: { wrap: (c) => `nohup ${c} 2>&1`, needs: 'nohup' },
  nice: { wrap: (c) => `nice -n 5 ${c}`, needs: 'nice' },
  env: { wrap: (c) => `env QUICKDB_TEST_WRAPPED=1 ${c}`, needs: 'env' },
  stdbuf: { wrap: (c) => `stdbuf -oL ${c}`, needs: 'stdbuf' },
  chrt: { wrap: (c) => `chrt -o 0 ${c}`, needs: 'chrt' },
  ionice: { wrap: (c) => `ionice -c 3 ${c}`, needs: 'ionice' },
  taskset: { wrap: (c) => `taskset -c 0 ${c}`, needs: 'taskset' },
  prlimit: { wrap: (c) => `prlimit --nofile=4096 ${c}`, needs: 'prlimit' },
  setpriv: {
    wrap: (c) => `setpriv --reuid=${USER} --regid=nogroup --clear-groups ${c}`,
    needs: 'setpriv',
    user: USER,
  },
  chroot: { wrap: (c) => `chroot / ${c}`, needs: 'chroot' },
};

// The shell command line of one mode: the wrapped command in a script, in a `sh -c` of its own, or typed at a prompt.
function startMode(t: TestContext, sh: string, mode: Mode, wrapped: string, user?: string): Started {
  const options = user ? { user } : {};
  if (mode === 'interactive')
    return startShell(t, ['script', '-qfec', `${sh} -i`, '/dev/null'], {
      ...options,
      input: `${wrapped}; echo "shell=$$"\n`,
    });
  const typed = mode === 'script' ? wrapped : `${sh} -c ${quote(wrapped)}`;
  return startShell(t, [sh, '-c', `${typed}; echo "shell=$$"; read line`], options);
}

// The refusal: printed by the orphaned command (whose exit code no one waits for), naming --parent $$ and exec,
// and nothing started.
async function checkRefused(started: Started): Promise<void> {
  await waitFor('the refusal', () => /--parent \$\$.*`quickdb-watcher exec`/s.test(started.output()), 20_000);
  assert.equal(
    existsSync(join(started.stateRoot, started.id)),
    false,
    `nothing was started\n${started.output()}`,
  );
}

const MODES = ['script', 'sh -c', 'interactive'] as const;
// The program a recipe runs: the first word of its name.
const programOf = (name: string): string => name.split(' ')[0] as string;

test('every wrapper the walk knows has a recipe here, and every recipe runs one the walk knows', () => {
  assert.deepEqual([...new Set(Object.keys(RECIPES).map(programOf))].sort(), Object.keys(WRAPPERS).sort());
});

// Each recipe in both shells and every mode (a wrapper that execs leaves no process in any mode: no `sh -c` of its
// own needed); four at a time, each with its own project, id and shell.
describe('wrappers', { concurrency: 4 }, () => {
  for (const [name, recipe] of Object.entries(RECIPES)) {
    const modes = WRAPPERS[programOf(name)] === 'execs' ? MODES.filter((m) => m !== 'sh -c') : MODES;
    for (const sh of SHELLS) {
      for (const mode of modes) {
        const outcome =
          typeof recipe.outcome === 'string' ? recipe.outcome : (recipe.outcome?.[mode] ?? 'bound');
        const says = outcome === 'bound' ? 'bound to the shell, outlives the wrapper' : 'refused';
        test(`${name} in ${sh} (${mode}): up is ${says}`, async (t) => {
          const tools = [sh, recipe.needs, ...(mode === 'interactive' ? ['script'] : [])];
          const missing = tools.filter((tool) => !has(tool));
          if (!requireOrSkip(t, missing.length === 0, missing.join(', '))) return;
          if (recipe.user && !requireOrSkip(t, findUid(recipe.user) !== null, `the user ${recipe.user}`))
            return;
          const started = startMode(t, sh, mode, recipe.wrap(TYPED_UP), recipe.user);
          if (outcome === 'refused') return checkRefused(started);
          const { shell } = started;
          await checkBoundToShell(started, () =>
            mode === 'interactive' ? shell.stdin?.write('exit\n') : shell.stdin?.end(),
          );
        });
      }
    }
  }
});
