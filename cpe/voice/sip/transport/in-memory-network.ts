/**
 * An in-memory network for tests and simulations (SIP.js test/support/transport-fake, pjsip's loop
 * transport): endpoints by address:port, delivery through the injected Clock (latency knob), a
 * drop predicate, and a log of every message sent. Messages are encoded and decoded on the way,
 * so the codec is exercised as on a wire.
 */
import type { Clock } from '../../../shared/clock';
import { TransportError } from '../../../shared/errors';
import { decodeMessage } from '../syntax/decode-message';
import { encodeMessage } from '../syntax/encode-message';
import type { SipMessage } from '../syntax/message';
import { looksLikeStun } from '../../../shared/stun';
import {
  stampVia, UDP_MAX_REQUEST, type HostPort, type StunTransport, type TransportProtocol, type TransportTarget, type TransportUser,
} from './transport';

export interface WireRecord {
  at: number;
  from: HostPort;
  to: TransportTarget;
  bytes: Buffer;
  message: SipMessage;
  dropped: boolean;
}

export class InMemoryNetwork {
  private readonly endpoints = new Map<string, InMemoryTransport>();
  readonly log: WireRecord[] = [];
  readonly keepAlives: Array<{ at: number; from: HostPort; to: TransportTarget }> = [];
  /** Raw (non-SIP) datagrams sent, e.g. STUN. */
  readonly datagrams: Array<{ at: number; from: HostPort; to: HostPort; bytes: Buffer }> = [];
  latencyMs = 0;
  /** Return true to lose the message (UDP loss, dead server...). */
  drop: (r: WireRecord) => boolean = () => false;

  constructor(readonly clock: Clock) {}

  endpoint(address: string, port: number, protocols: TransportProtocol[] = ['udp', 'tcp', 'tls']): InMemoryTransport {
    const t = new InMemoryTransport(this, { address, port }, protocols);
    this.endpoints.set(`${address}:${port}`, t);
    return t;
  }

  remove(t: InMemoryTransport): void {
    this.endpoints.delete(`${t.local.address}:${t.local.port}`);
  }

  /** Messages sent so far, decoded (optionally only those to/from an address:port). */
  messages(filter?: (r: WireRecord) => boolean): SipMessage[] {
    return this.log.filter((r) => !r.dropped && (!filter || filter(r))).map((r) => r.message);
  }

  deliver(from: InMemoryTransport, to: TransportTarget, bytes: Buffer, message: SipMessage): void {
    const rec: WireRecord = { at: this.clock.now(), from: from.local, to, bytes, message, dropped: false };
    this.log.push(rec);
    const dest = this.endpoints.get(`${to.address}:${to.port}`);
    if (!dest) {
      if (to.protocol !== 'udp') throw new TransportError(`connection refused ${to.address}:${to.port}`);
      rec.dropped = true;
      return;
    }
    if (this.drop(rec)) {
      rec.dropped = true;
      return;
    }
    this.clock.setTimer(this.latencyMs, () => dest.receive(bytes, to.protocol, from.local));
  }

  /** A raw UDP datagram (STUN); lost when nobody listens there. */
  deliverRaw(from: InMemoryTransport, to: HostPort, bytes: Buffer): void {
    this.datagrams.push({ at: this.clock.now(), from: from.local, to, bytes });
    const dest = this.endpoints.get(`${to.address}:${to.port}`);
    if (!dest) return;
    this.clock.setTimer(this.latencyMs, () => dest.receiveRaw(bytes, from.local));
  }
}

export class InMemoryTransport implements StunTransport {
  private user: TransportUser | undefined;
  private stunHandler: ((bytes: Buffer, from: HostPort) => void) | undefined;
  private publicAddress: HostPort | undefined;
  closed = false;

  constructor(
    private readonly net: InMemoryNetwork,
    readonly local: HostPort,
    private readonly protocols: TransportProtocol[],
  ) {}

  setUser(user: TransportUser): void {
    this.user = user;
  }

  localAddress(_protocol: TransportProtocol): HostPort {
    return this.local;
  }

  reliable(protocol: TransportProtocol): boolean {
    return protocol !== 'udp';
  }

  send(message: SipMessage, target: TransportTarget): Promise<TransportTarget> {
    if (this.closed) return Promise.reject(new TransportError('transport closed'));
    let t = target;
    if (message.type === 'request') {
      const top = message.via[0];
      let bytes = encodeMessage(message);
      if (t.protocol === 'udp' && bytes.length > UDP_MAX_REQUEST && this.protocols.includes('tcp')) t = { ...t, protocol: 'tcp' };
      if (top) {
        const pub = t.protocol === 'udp' ? this.publicAddress : undefined;
        top.transport = t.protocol.toUpperCase();
        top.host = pub?.address ?? this.local.address;
        top.port = pub?.port ?? this.local.port;
      }
      bytes = encodeMessage(message);
      return this.push(t, bytes);
    }
    return this.push(t, encodeMessage(message));
  }

  private push(t: TransportTarget, bytes: Buffer): Promise<TransportTarget> {
    try {
      this.net.deliver(this, t, bytes, decodeMessage(bytes));
      return Promise.resolve(t);
    } catch (e) {
      return Promise.reject(e instanceof TransportError ? e : new TransportError(String(e)));
    }
  }

  sendDatagram(bytes: Buffer, to: HostPort): Promise<void> {
    if (this.closed) return Promise.reject(new TransportError('transport closed'));
    this.net.deliverRaw(this, to, bytes);
    return Promise.resolve();
  }

  setStunHandler(handler: ((bytes: Buffer, from: HostPort) => void) | undefined): void {
    this.stunHandler = handler;
  }

  setPublicAddress(address: HostPort | undefined): void {
    this.publicAddress = address;
  }

  /** Called by the network for raw datagrams: STUN to the STUN handler, the rest as SIP. */
  receiveRaw(bytes: Buffer, remote: HostPort): void {
    if (this.closed) return;
    if (looksLikeStun(bytes)) this.stunHandler?.(bytes, remote);
    else this.receive(bytes, 'udp', remote);
  }

  /** Called by the network: decode as a real transport would, dropping what does not parse. */
  receive(bytes: Buffer, protocol: TransportProtocol, remote: HostPort): void {
    if (this.closed || !this.user) return;
    let message: SipMessage;
    try {
      message = decodeMessage(bytes);
    } catch {
      return;
    }
    if (message.type === 'request') stampVia(message, remote);
    this.user.onMessage({ message, protocol, remote, local: this.local, flow: protocol === 'udp' ? undefined : `mem:${remote.address}:${remote.port}` });
  }

  /** Inject raw bytes as if they came from `remote` (bad-input tests). */
  inject(bytes: Buffer | string, remote: HostPort, protocol: TransportProtocol = 'udp'): void {
    this.receive(typeof bytes === 'string' ? Buffer.from(bytes) : bytes, protocol, remote);
  }

  /** Keep-alives seen by the network (tests count them). */
  keepAlive(target: TransportTarget): Promise<boolean> {
    this.net.keepAlives.push({ at: this.net.clock.now(), from: this.local, to: target });
    return Promise.resolve(!this.closed);
  }

  close(): Promise<void> {
    this.closed = true;
    this.net.remove(this);
    return Promise.resolve();
  }
}
