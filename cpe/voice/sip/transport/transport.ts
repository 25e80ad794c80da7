/**
 * The transport layer's interfaces (RFC 3261 §18). The transaction layer calls down through
 * `Transport`; the transport calls up through `TransportUser`. Implementations: SipTransports
 * (real UDP/TCP/TLS sockets) and InMemoryTransport (tests).
 */
import type { SipMessage, SipRequest } from '../syntax/message';

export type TransportProtocol = 'udp' | 'tcp' | 'tls';

export interface HostPort {
  address: string;
  port: number;
}

/** Where a message goes: a resolved address (never a name), plus the TLS name to verify. */
export interface TransportTarget extends HostPort {
  protocol: TransportProtocol;
  /** TLS: server name for SNI and certificate check (the SIP domain or host of the URI). */
  serverName?: string;
  /** A connection to reuse (responses go back on the connection the request came in on, §18.2.2). */
  flow?: string;
}

export interface IncomingMessage {
  message: SipMessage;
  protocol: TransportProtocol;
  remote: HostPort;
  local: HostPort;
  /** The connection it arrived on (stream transports). */
  flow?: string;
}

export interface TransportUser {
  onMessage(incoming: IncomingMessage): void;
}

export interface Transport {
  /**
   * Sends one message. For requests the top Via's transport, host and port are filled in here
   * (§18.1.1), and a UDP request larger than 1300 bytes goes over TCP instead. Resolves with the
   * target actually used; rejects with TransportError.
   */
  send(message: SipMessage, target: TransportTarget): Promise<TransportTarget>;
  /** The address and port put in Via sent-by and Contact for this protocol. */
  localAddress(protocol: TransportProtocol): HostPort;
  /** Reliable transports (TCP, TLS) turn off retransmission timers (§17.1.1.2). */
  reliable(protocol: TransportProtocol): boolean;
  setUser(user: TransportUser): void;
  close(): Promise<void>;
}

/** RFC 3261 §18.1.1: requests within 200 bytes of the path MTU (1500) go over a congestion-controlled transport. */
export const UDP_MAX_REQUEST = 1300;

/**
 * Server transport processing of an incoming request (§18.2.1, RFC 3581 §4): add `received`
 * when the source differs from sent-by, and fill an empty `rport` with the source port.
 */
export function stampVia(request: SipRequest, remote: HostPort): void {
  const top = request.via[0];
  if (!top) return;
  const host = top.host.replace(/^\[|\]$/g, '');
  if (host !== remote.address || top.params.get('rport') === null) top.params.set('received', remote.address);
  if (top.params.get('rport') === null) top.params.set('rport', String(remote.port));
}

/** Where a response goes (§18.2.2, RFC 3581 §4): the flow, else received/rport, else sent-by. */
export function responseTarget(incoming: IncomingMessage): TransportTarget {
  const top = incoming.message.via[0];
  const protocol = incoming.protocol;
  if (protocol !== 'udp' && incoming.flow) return { protocol, ...incoming.remote, flow: incoming.flow };
  const received = top?.params.get('received');
  const rport = top?.params.get('rport');
  const address = typeof received === 'string' ? received : (top?.host ?? incoming.remote.address).replace(/^\[|\]$/g, '');
  const port = typeof rport === 'string' && rport !== '' ? Number(rport) : (top?.port ?? 5060);
  return { protocol, address, port };
}

/** Transports that can send keep-alives (RFC 5626 §4.4.1 CRLF; a NAT keep-alive packet over UDP). */
export interface KeepAliveTransport extends Transport {
  keepAlive(target: TransportTarget): Promise<boolean>;
}

export function canKeepAlive(t: Transport): t is KeepAliveTransport {
  return typeof (t as Partial<KeepAliveTransport>).keepAlive === 'function';
}

/**
 * Transports whose UDP socket also carries STUN (RFC 5389 §7.2.1; demultiplexed per RFC 7983):
 * raw datagrams out, STUN datagrams in, and the public (STUN-mapped) address used as Via sent-by
 * for requests sent over UDP (RFC 3261 §18.1.1).
 */
export interface StunTransport extends Transport {
  sendDatagram(bytes: Buffer, to: HostPort): Promise<void>;
  setStunHandler(handler: ((bytes: Buffer, from: HostPort) => void) | undefined): void;
  setPublicAddress(address: HostPort | undefined): void;
}

export function canStun(t: Transport): t is StunTransport {
  const s = t as Partial<StunTransport>;
  return typeof s.sendDatagram === 'function' && typeof s.setStunHandler === 'function' && typeof s.setPublicAddress === 'function';
}
