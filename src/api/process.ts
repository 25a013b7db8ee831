// Process facts a caller running its own child needs: the death signal that ends it with us, signal numbers, and a
// process's start time (a pid and its start time name one process, never a reused pid).
export { canSetDeathSignal, DEATH_SIGNAL, findCommand } from '../state/process/death-signal.js';
export { readStartTime } from '../state/process/procstat.js';
export { signalNumber } from '../state/process/signals.js';
