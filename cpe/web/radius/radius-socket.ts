/**
 * The datagram socket of one RADIUS exchange, injected so tests run the client over an in-memory
 * network with a FakeClock. `nodeRadiusSockets` is the real one: node:dgram, bound to an ephemeral
 * port and connected to the server, so the kernel reports an ICMP port-unreachable as
 * ECONNREFUSED (a stopped server is known at once instead of after every retransmission).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { bindSocket } from '../../shared/bind-udp';

export interface UdpPeer {
  readonly address: string;
  readonly port: number;
}

export interface RadiusSocket {
  /** The address and port the socket sends from (NAS-IP-Address comes from it). */
  readonly local: UdpPeer;
  /** Sends to the server the socket was opened for. */
  send(msg: Buffer): void;
  onMessage(fn: (msg: Buffer, from: UdpPeer) => void): void;
  /** Errors the network reports for the server (ECONNREFUSED, EHOSTUNREACH ...). */
  onError(fn: (e: Error) => void): void;
  close(): void;
}

/** Opens a socket towards `server`, bound to `localAddress` when given. */
export type RadiusSocketFactory = (server: UdpPeer, localAddress?: string) => Promise<RadiusSocket>;

export const nodeRadiusSockets: RadiusSocketFactory = async (server, localAddress) => {
  const sock = dgram.createSocket(net.isIPv6(server.address) ? 'udp6' : 'udp4');
  await bindSocket(sock, { port: 0, address: localAddress });
  await new Promise<void>((resolve, reject) => {
    const fail = (e: Error): void => {
      sock.close();
      reject(e);
    };
    sock.once('error', fail);
    sock.connect(server.port, server.address, () => {
      sock.off('error', fail);
      resolve();
    });
  });
  const a = sock.address();
  let closed = false;
  let onError: (e: Error) => void = () => undefined;
  sock.on('error', (e) => onError(e));
  return {
    local: { address: a.address, port: a.port },
    send: (msg) => {
      if (!closed) sock.send(msg, (e) => e && !closed && onError(e));
    },
    onMessage: (fn) => sock.on('message', (msg, r) => fn(msg, { address: r.address, port: r.port })),
    onError: (fn) => (onError = fn),
    close: () => {
      if (closed) return;
      closed = true;
      sock.close();
    },
  };
};
