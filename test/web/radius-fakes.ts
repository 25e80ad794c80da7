/**
 * An in-memory RADIUS network for client and login tests: the factory hands out sockets that record
 * what they send; `deliver` injects a datagram; `server` (when set) answers each request the way a
 * RADIUS server would, from a table of users, with or without Message-Authenticator.
 */
import { decodeRadius, encodeVendorSpecific, ATTR, type RadiusAttribute, type RadiusPacket } from '../../cpe/web/radius/radius-packet';
import { checkMessageAuthenticator, encodeResponse, revealUserPassword } from '../../cpe/web/radius/radius-crypto';
import type { RadiusSocket, RadiusSocketFactory, UdpPeer } from '../../cpe/web/radius/radius-socket';

export const RADIUS_SERVER: UdpPeer = { address: '10.9.8.7', port: 1812 };
export const NAS_LOCAL: UdpPeer = { address: '10.0.0.2', port: 40001 };

export interface Sent {
  readonly to: UdpPeer;
  readonly bytes: Buffer;
  readonly packet: RadiusPacket;
}

export interface FakeUser {
  readonly password: string;
  /** The Grandstream level attribute's value (vendor 42397, type 1), if any. */
  readonly level?: string;
}

export class MemoryRadius {
  readonly sent: Sent[] = [];
  /** Sockets opened and not yet closed. */
  open = 0;
  opened = 0;
  private handlers = new Set<{ msg: (m: Buffer, from: UdpPeer) => void; err: (e: Error) => void; to: UdpPeer }>();
  /** When set, answers every request sent (synchronously, as a server on the same machine would soon). */
  server: { secret: string; users: Record<string, FakeUser>; messageAuthenticator: boolean } | undefined;
  /** When set, the factory fails (no route, no socket). */
  failOpen: Error | undefined;

  readonly factory: RadiusSocketFactory = async (to) => {
    if (this.failOpen) throw this.failOpen;
    const h = { msg: (_m: Buffer, _f: UdpPeer) => undefined as void, err: (_e: Error) => undefined as void, to };
    let closed = false;
    this.open++;
    this.opened++;
    const sock: RadiusSocket = {
      local: NAS_LOCAL,
      send: (bytes) => {
        if (closed) return;
        const packet = decodeRadius(bytes);
        this.sent.push({ to, bytes, packet });
        if (this.server) this.answerWithServer(h, packet);
      },
      onMessage: (fn) => (h.msg = fn),
      onError: (fn) => (h.err = fn),
      close: () => {
        if (closed) return;
        closed = true;
        this.open--;
        this.handlers.delete(h);
      },
    };
    this.handlers.add(h);
    return sock;
  };

  /** A datagram to every open socket, from `from` (default: the server). */
  deliver(bytes: Buffer, from: UdpPeer = RADIUS_SERVER): void {
    for (const h of [...this.handlers]) h.msg(bytes, from);
  }

  /** An ICMP-style error to every open socket. */
  fail(e: Error): void {
    for (const h of [...this.handlers]) h.err(e);
  }

  /** The last request sent. */
  last(): Sent {
    const s = this.sent[this.sent.length - 1];
    if (!s) throw new Error('nothing sent');
    return s;
  }

  private answerWithServer(h: { msg: (m: Buffer, from: UdpPeer) => void; to: UdpPeer }, req: RadiusPacket): void {
    const srv = this.server!;
    const secret = Buffer.from(srv.secret);
    if (checkMessageAuthenticator(req, req.authenticator, secret) !== 'valid') return; // RFC 3579 §3.2: silently discarded
    const name = req.attributes.find((a) => a.type === ATTR.userName)?.value.toString('utf8') ?? '';
    const hidden = req.attributes.find((a) => a.type === ATTR.userPassword)?.value;
    const password = hidden ? revealUserPassword(hidden, secret, req.authenticator).toString('utf8') : '';
    const user = srv.users[name];
    const ok = user !== undefined && user.password === password;
    const attributes: RadiusAttribute[] = [];
    if (ok && user.level !== undefined) attributes.push(levelAttribute(user.level));
    const bytes = encodeResponse({ code: ok ? 'Access-Accept' : 'Access-Reject', identifier: req.identifier, attributes }, req.authenticator, secret, {
      messageAuthenticator: srv.messageAuthenticator,
    });
    queueMicrotask(() => h.msg(bytes, h.to));
  }
}

export function levelAttribute(value: string | Buffer, vendorId = 42397, vendorType = 1): RadiusAttribute {
  return { type: ATTR.vendorSpecific, value: encodeVendorSpecific({ vendorId, attributes: [{ vendorType, value: Buffer.isBuffer(value) ? value : Buffer.from(value) }] }) };
}

/** Lets promise callbacks and queued microtasks run (the fake clock does not move). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
}
