// The client end of the lifeline: a socket held open for as long as this process lives.
import { connect, type Socket } from 'node:net';
import { QuickdbError } from '../errors.js';

// Connect, say "hold", wait for "held"; the socket is unref'd so it never keeps the process alive. A watcher that
// closes it first (stopped by a signal just after ready) fails the hold at once; the deadline is for a hung one.
export function holdLifeline(path: string, timeoutMs = 15_000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const fail = (cause: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(new QuickdbError(`cannot hold the lifeline ${path}`, { cause }));
    };
    socket.once('error', fail);
    socket.once('end', () => fail(new Error('the watcher closed it without an answer')));
    socket.once('connect', () => socket.write('hold\n'));
    socket.once('data', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      socket.removeAllListeners('end');
      socket.on('error', () => {});
      socket.unref();
      resolve(socket);
    });
  });
}
