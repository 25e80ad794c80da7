/**
 * The datagram socket the RTP session is given (ARCHITECTURE.md: sockets injected). Tests use
 * an in-memory pair; the composition root wraps node:dgram with `bindUdp`.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import { bindSocket } from '../../shared/bind-udp';

export interface UdpAddress {
  readonly address: string;
  readonly port: number;
}

export interface UdpSocket {
  send(data: Uint8Array, to: UdpAddress): void;
  /** One handler; datagrams arrive with their source. */
  onMessage(handler: (data: Buffer, from: UdpAddress) => void): void;
  readonly local: UdpAddress;
  close(): void;
}

/** A real UDP socket bound to address:port (port 0 = any). */
export async function bindUdp(address: string, port: number): Promise<UdpSocket> {
  const family = address.includes(':') ? 6 : 4;
  // RTP peers are IP literals (from SDP): resolve them in place instead of a dns.lookup per packet.
  const lookup = (host: string, _o: unknown, cb: (e: Error | null, a: string, f: number) => void): void => {
    const v = net.isIP(host);
    if (v) cb(null, host, v);
    else dns.lookup(host, { family }, (e, a, f) => cb(e, a, f));
  };
  const s = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4', lookup: lookup as never });
  await bindSocket(s, { port, address });
  s.on('error', () => undefined); // ICMP errors (port unreachable) are not fatal for RTP
  const a = s.address();
  let closed = false;
  return {
    local: { address: a.address, port: a.port },
    send: (data, to) => {
      if (!closed) s.send(data, to.port, to.address);
    },
    onMessage: (h) => {
      // rinfo is a fresh object per datagram with address and port: it serves as the UdpAddress
      s.on('message', h);
    },
    close: () => {
      if (!closed) {
        closed = true;
        s.close();
      }
    },
  };
}

/** Two connected in-memory sockets for tests; `deliver` lets a test drop, delay or reorder. */
export function memorySocketPair(
  a: UdpAddress = { address: '127.0.0.1', port: 40000 },
  b: UdpAddress = { address: '127.0.0.1', port: 40002 },
  deliver: (send: () => void, data: Uint8Array) => void = (send) => send(),
): [UdpSocket, UdpSocket] {
  const make = (self: UdpAddress, peer: () => ((d: Buffer, f: UdpAddress) => void) | undefined): UdpSocket & { h?: (d: Buffer, f: UdpAddress) => void } => {
    const sock: UdpSocket & { h?: (d: Buffer, f: UdpAddress) => void } = {
      local: self,
      send: (data) => {
        const copy = Buffer.from(data);
        deliver(() => peer()?.(copy, self), copy);
      },
      onMessage: (h) => {
        sock.h = h;
      },
      close: () => {
        delete sock.h;
      },
    };
    return sock;
  };
  const sa = make(a, () => sb.h);
  const sb = make(b, () => sa.h);
  return [sa, sb];
}
