// The watcher's command-line flags, spelt once for the backends that start it and the watcher that reads them.

/** Wait for the launcher's go on stdin before reading the spec (the end of stdin: exit, untouched). */
export const AWAIT_LAUNCHER = '--await-launcher';
