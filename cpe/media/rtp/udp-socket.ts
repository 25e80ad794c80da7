/**
 * The datagram socket the RTP session is given (ARCHITECTURE.md: sockets injected). Tests use
 * an in-memory pair; the composition root wraps node:dgram with `bindUdp`.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { bindSocket, literalLookup } from '../../shared/bind-udp';

export interface UdpAddress {
  readonly address: string;
  readonly port: number;
}

export interface UdpSocket {
  send(data: Uint8Array, to: UdpAddress): void;
  /** One handler; datagrams arrive with their source. */
  onMessage(handler: (data: Buffer, from: UdpAddress) => void): void;
  /**
   * Optional. Pinned to a peer, the socket takes datagrams from that peer only and sends to it
   * without a route lookup per packet (a connected UDP socket, POSIX connect(2)); `undefined`
   * takes datagrams from anyone again. Sending elsewhere unpins first.
   */
  pin?(peer: UdpAddress | undefined): void;
  readonly local: UdpAddress;
  close(): void;
}

/** Same address and port (one side may be undefined). */
export function sameAddress(a: UdpAddress | undefined, b: UdpAddress | undefined): boolean {
  return a !== undefined && b !== undefined && a.port === b.port && a.address === b.address;
}

/** A real UDP socket bound to address:port (port 0 = any). */
export async function bindUdp(address: string, port: number): Promise<UdpSocket> {
  const family = address.includes(':') ? 6 : 4;
  // RTP peers are IP literals (from SDP): taken in place instead of a dns.lookup per packet
  const s = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4', lookup: literalLookup(family) as never });
  await bindSocket(s, { port, address });
  s.on('error', () => undefined); // ICMP errors (port unreachable) are not fatal for RTP
  const a = s.address();
  let closed = false;
  let pinned: UdpAddress | undefined;
  const unpin = (): void => {
    if (pinned) s.disconnect();
    pinned = undefined;
  };
  return {
    local: { address: a.address, port: a.port },
    send: (data, to) => {
      if (closed) return;
      if (sameAddress(to, pinned)) s.send(data);
      else {
        unpin();
        s.send(data, to.port, to.address);
      }
    },
    onMessage: (h) => {
      // rinfo is a fresh object per datagram with address and port: it serves as the UdpAddress
      s.on('message', h);
    },
    // Only a socket bound to a port of its own choosing can be pinned: Linux takes an ephemeral
    // port (bound as 0) back when the socket disconnects (udp_disconnect without
    // SOCK_BINDPORT_LOCK), and the socket would hear nothing more. The unit binds its RTP
    // ports explicitly (P39 upward).
    pin:
      port === 0
        ? undefined
        : (peer) => {
            if (closed || sameAddress(peer, pinned)) return;
            unpin();
            if (!peer || !net.isIP(peer.address)) return;
            // An IP literal goes through the synchronous lookup above, so connect() completes here;
            // a failure (reported later as an 'error') leaves the socket unpinned.
            try {
              s.connect(peer.port, peer.address);
              s.remoteAddress();
              pinned = { address: peer.address, port: peer.port };
            } catch {
              pinned = undefined;
            }
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
  type Sock = UdpSocket & { h?: (d: Buffer, f: UdpAddress) => void; pinned?: UdpAddress };
  const make = (self: UdpAddress, peer: () => Sock): Sock => {
    const sock: Sock = {
      local: self,
      send: (data) => {
        const copy = Buffer.from(data);
        deliver(() => {
          const p = peer();
          // a pinned socket takes only its peer's datagrams (what connect(2) does)
          if (p.pinned && !sameAddress(p.pinned, self)) return;
          p.h?.(copy, self);
        }, copy);
      },
      onMessage: (h) => {
        sock.h = h;
      },
      pin: (p) => {
        sock.pinned = p;
      },
      close: () => {
        delete sock.h;
      },
    };
    return sock;
  };
  const sa = make(a, () => sb);
  const sb = make(b, () => sa);
  return [sa, sb];
}
