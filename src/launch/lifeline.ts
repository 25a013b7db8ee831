// The client end of the lifeline: a socket held open for as long as this process lives.
import { connect, type Socket } from 'node:net';
import { QuickdbError } from '../errors.js';

// Connect, say "hold", wait for "held"; the socket is unref'd so it never keeps the process alive.
export function holdLifeline(path: string, timeoutMs = 5000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const fail = (cause: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(new QuickdbError(`cannot hold the lifeline ${path}`, { cause }));
    };
    socket.once('error', fail);
    socket.once('connect', () => socket.write('hold\n'));
    socket.once('data', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      socket.on('error', () => {});
      socket.unref();
      resolve(socket);
    });
  });
}
