/**
 * The datagram socket the TFTP client talks through, injected so tests run it over an in-memory
 * network with a fake clock. `nodeUdpSocketFactory` is the real one (node:dgram).
 */
import dgram from 'node:dgram';
import net from 'node:net';

export interface UdpPeer {
  readonly address: string;
  readonly port: number;
}

export interface UdpSocket {
  send(msg: Buffer, to: UdpPeer): void;
  onMessage(fn: (msg: Buffer, from: UdpPeer) => void): void;
  close(): void;
}

/** Opens a socket on an ephemeral port, for the family of `remoteHost`, bound to `localAddress` when given. */
export type UdpSocketFactory = (remoteHost: string, localAddress?: string) => Promise<UdpSocket>;

export const nodeUdpSocketFactory: UdpSocketFactory = (remoteHost, localAddress) =>
  new Promise((resolve, reject) => {
    const sock = dgram.createSocket(net.isIPv6(remoteHost) ? 'udp6' : 'udp4');
    const onError = (e: Error): void => {
      sock.close(); // a socket whose bind failed would stay open
      reject(e);
    };
    sock.once('error', onError);
    sock.bind({ port: 0, address: localAddress }, () => {
      sock.off('error', onError);
      sock.on('error', () => undefined); // late ICMP errors: the transfer times out instead
      let closed = false;
      resolve({
        send: (msg, to) => {
          if (!closed) sock.send(msg, to.port, to.address);
        },
        onMessage: (fn) => sock.on('message', (msg, rinfo) => fn(msg, { address: rinfo.address, port: rinfo.port })),
        close: () => {
          if (closed) return;
          closed = true;
          sock.close();
        },
      });
    });
  });
