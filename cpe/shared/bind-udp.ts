/**
 * dgram bind as a promise that never leaks: a socket whose bind fails (port taken, address not
 * local) is closed before the error is passed on; otherwise its handle stays open for good.
 */
import type dgram from 'node:dgram';

export function bindSocket(s: dgram.Socket, opts: dgram.BindOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (e: Error): void => {
      try {
        s.close();
      } catch {
        // already closed
      }
      reject(e);
    };
    s.once('error', fail);
    s.bind(opts, () => {
      s.off('error', fail);
      resolve();
    });
  });
}
