/**
 * Real sockets for the console sessions, wired only by the service: a TCP listener on the unit's
 * address, and each accepted socket as a Conn. A peer that stops reading cannot make the unit hold
 * more than MAX_UNSENT bytes for it; a half-closed socket the peer does not close is destroyed
 * after LINGER_MS on the injected clock.
 */
import net from 'node:net';
import type { Cancel, Clock } from '../shared/clock';
import { plainAddress } from '../web/access-policy';
import type { Conn } from './conn';

export const MAX_UNSENT = 1024 * 1024;
export const LINGER_MS = 5_000;

export interface TcpListener {
  readonly port: number;
  /** Stops accepting at once; open connections are left to their sessions. */
  close(): void;
}

export function listenTcp(address: string, port: number, onSocket: (s: net.Socket) => void): Promise<TcpListener> {
  return new Promise((resolve, reject) => {
    const server = net.createServer({ noDelay: true }, onSocket);
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen({ port, host: address, exclusive: true }, () => {
      server.off('error', onError);
      server.on('error', () => undefined); // after listening, errors belong to connections
      const a = server.address();
      resolve({ port: typeof a === 'object' && a ? a.port : port, close: () => void server.close() });
    });
  });
}

export function socketConn(socket: net.Socket, clock: Clock): Conn {
  let linger: Cancel | undefined;
  socket.once('close', () => linger?.());
  const destroy = (): void => {
    linger?.();
    linger = undefined;
    socket.destroy();
  };
  return {
    remote: plainAddress(socket.remoteAddress),
    write(bytes) {
      if (socket.destroyed || socket.writableEnded) return;
      socket.write(bytes);
      if (socket.writableLength > MAX_UNSENT) destroy();
    },
    end() {
      if (socket.destroyed || socket.writableEnded) return;
      // half-close: the peer still reads what was sent (a DISCONNECT's reason) and closes its side;
      // one that does not is cut off after LINGER_MS
      socket.end();
      linger = clock.setTimer(LINGER_MS, destroy);
    },
    destroy,
  };
}
