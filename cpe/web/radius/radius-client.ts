/**
 * Our RADIUS authentication client (RFC 2865): one Access-Request, retransmitted on the injected
 * clock until an authentic answer comes, the tries run out or the network says the server is not
 * there. Each exchange has its own socket (an ephemeral port), so its random Identifier is unique
 * among the requests outstanding from that port (RFC 2865 §3 "Identifier"), and a unit that logs
 * nobody in holds no socket and no timer.
 *
 * Answers are matched and checked; anything else is dropped and only remembered for the log:
 *   - from another address or port than the server's (RFC 2865 §3 "Identifier", RFC 5080 §2.2.2),
 *   - undecodable, or a code that is not a response to an Access-Request,
 *   - another Identifier,
 *   - a wrong Response Authenticator (RFC 2865 §3 "Response Authenticator"),
 *   - a wrong Message-Authenticator (RFC 3579 §3.2), or none on an Access-Accept or an
 *     Access-Challenge (the CVE-2024-3596 "BlastRADIUS" mitigation; a forged Reject only denies).
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import type { Cancel, Clock } from '../../shared/clock';
import { DecodeError } from '../../shared/errors';
import type { Random } from '../../shared/random';
import { RadiusError } from './radius-error';
import { checkMessageAuthenticator, encodeAccessRequest, hideUserPassword, responseAuthentic } from './radius-crypto';
import { ATTR, decodeRadius, type RadiusAttribute, type RadiusCode, type RadiusPacket } from './radius-packet';
import { nodeRadiusSockets, type RadiusSocket, type RadiusSocketFactory, type UdpPeer } from './radius-socket';

/**
 * Retransmission per RFC 5080 §2.2.1 (RFC 2865 §2.4 leaves timing to the client), with values for a
 * person waiting at a login form instead of its IRT 2 s / MRC 5 / MRT 16 s / MRD 30 s: sent at 0,
 * again at 2 s and 6 s, given up at 10 s. RFC 2865 §2.5: a retransmission is the same datagram
 * (same Identifier and Request Authenticator). No RAND jitter: logins are one person at a time.
 */
export const IRT_MS = 2_000;
export const MRT_MS = 4_000;
export const MRC = 2;
export const MRD_MS = 10_000;

/** RFC 5080 §2.2.1: RT = 2 * RTprev, at most MRT. */
export function nextRetransmissionTime(rtPrevMs: number): number {
  return Math.min(2 * rtPrevMs, MRT_MS);
}

export type ResponseCode = Exclude<RadiusCode, 'Access-Request'>;

export interface AccessRequestInput {
  /** Host name or IP address, and port. */
  readonly server: { readonly host: string; readonly port: number };
  readonly secret: Buffer;
  readonly userName: string;
  readonly password: string;
  /** More attributes (NAS-Identifier, Calling-Station-Id ...); NAS-IP-Address is added from the socket. */
  readonly attributes?: readonly RadiusAttribute[];
  /** The unit's address to send from, when it should bind one. */
  readonly localAddress?: string;
}

export interface RadiusAnswer {
  readonly code: ResponseCode;
  readonly attributes: readonly RadiusAttribute[];
  /** Datagrams sent, the first included. */
  readonly transmissions: number;
}

export interface RadiusClientDeps {
  readonly clock: Clock;
  /** Identifier and Request Authenticator (RFC 2865 §3: unpredictable over the life of a secret). */
  readonly random: Random;
  readonly sockets?: RadiusSocketFactory;
  /** Host name → address; default node:dns. */
  readonly resolve?: (host: string) => Promise<string>;
}

export class RadiusClient {
  private readonly live = new Set<AccessExchange>();
  private closed = false;

  constructor(private readonly deps: RadiusClientDeps) {}

  /** Resolves with the server's authentic answer; rejects with RadiusError (timeout, unreachable, closed, encode). */
  async authenticate(req: AccessRequestInput): Promise<RadiusAnswer> {
    if (this.closed) throw new RadiusError('closed', 'RADIUS client closed');
    let address: string;
    try {
      address = net.isIP(req.server.host) ? req.server.host : await (this.deps.resolve ?? defaultResolve)(req.server.host);
    } catch (e) {
      throw new RadiusError('unreachable', `cannot resolve RADIUS server ${req.server.host}: ${(e as Error).message}`, { cause: e });
    }
    const server = { address, port: req.server.port };
    let sock: RadiusSocket;
    try {
      sock = await (this.deps.sockets ?? nodeRadiusSockets)(server, req.localAddress);
    } catch (e) {
      throw new RadiusError('unreachable', `cannot open a socket to ${address}:${server.port}: ${(e as Error).message}`, { cause: e });
    }
    if (this.closed) {
      sock.close();
      throw new RadiusError('closed', 'RADIUS client closed');
    }
    const identifier = this.deps.random.int(256);
    const authenticator = this.deps.random.bytes(16);
    let datagram: Buffer;
    try {
      datagram = encodeAccessRequest({ identifier, authenticator, attributes: requestAttributes(req, sock.local, authenticator) }, req.secret);
    } catch (e) {
      sock.close();
      throw e;
    }
    const x = new AccessExchange(this.deps.clock, sock, server, req.secret, { identifier, authenticator, datagram });
    this.live.add(x);
    try {
      return await x.run();
    } finally {
      this.live.delete(x);
    }
  }

  /** Exchanges in flight. */
  get pending(): number {
    return this.live.size;
  }

  /** Ends every exchange (the unit is stopping): each rejects with RadiusError('closed'). */
  close(): void {
    this.closed = true;
    for (const x of [...this.live]) x.abort();
  }
}

async function defaultResolve(host: string): Promise<string> {
  return (await dns.lookup(host)).address;
}

/** User-Name, User-Password (hidden, RFC 2865 §5.2), NAS-IP(v6)-Address of the socket, then the caller's. */
function requestAttributes(req: AccessRequestInput, local: UdpPeer, authenticator: Buffer): RadiusAttribute[] {
  const out: RadiusAttribute[] = [
    { type: ATTR.userName, value: Buffer.from(req.userName, 'utf8') },
    { type: ATTR.userPassword, value: hideUserPassword(Buffer.from(req.password, 'utf8'), req.secret, authenticator) },
  ];
  // RFC 2865 §4.1: NAS-IP-Address or NAS-Identifier (or both); RFC 3162 §2.1 for IPv6
  if (net.isIPv4(local.address) && local.address !== '0.0.0.0') out.push({ type: ATTR.nasIpAddress, value: Buffer.from(local.address.split('.').map(Number)) });
  const v6 = net.isIPv6(local.address) ? ipv6Bytes(local.address) : undefined;
  if (v6) out.push({ type: ATTR.nasIpv6Address, value: v6 });
  return [...out, ...(req.attributes ?? [])];
}

/** `fd00::1` → 16 octets; undefined for the unspecified address and dotted (IPv4-mapped) forms. */
function ipv6Bytes(a: string): Buffer | undefined {
  const addr = a.split('%')[0]!;
  if (addr.includes('.') || addr === '::') return undefined;
  const [head, tail] = addr.includes('::') ? (addr.split('::') as [string, string]) : [addr, undefined];
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  if (all.length !== 8) return undefined;
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

type State = 'waiting' | 'answered' | 'failed';
const ALLOWED: Readonly<Record<State, readonly State[]>> = {
  waiting: ['answered', 'failed'],
  answered: [],
  failed: [],
};

/** One Access-Request and its retransmissions. */
class AccessExchange {
  private st: State = 'waiting';
  private transmissions = 0;
  private rt = IRT_MS;
  private startedAt = 0;
  private rtTimer: Cancel | undefined;
  /** Why the last datagram was dropped, for the timeout's message. */
  private lastDrop: string | undefined;
  private settle: { resolve: (a: RadiusAnswer) => void; reject: (e: Error) => void } | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly sock: RadiusSocket,
    private readonly server: UdpPeer,
    private readonly secret: Buffer,
    private readonly request: { readonly identifier: number; readonly authenticator: Buffer; readonly datagram: Buffer },
  ) {}

  run(): Promise<RadiusAnswer> {
    return new Promise<RadiusAnswer>((resolve, reject) => {
      this.settle = { resolve, reject };
      this.sock.onMessage((msg, from) => this.onDatagram(msg, from));
      this.sock.onError((e) => this.fail(new RadiusError('unreachable', `RADIUS server ${this.where()} unreachable: ${(e as NodeJS.ErrnoException).code ?? e.message}`, { cause: e })));
      this.startedAt = this.clock.now();
      this.transmit();
      this.arm(this.rt);
    });
  }

  abort(): void {
    this.fail(new RadiusError('closed', 'RADIUS exchange cancelled: the unit is stopping'));
  }

  private where(): string {
    return `${this.server.address}:${this.server.port}`;
  }

  private transition(to: State): void {
    if (!ALLOWED[this.st].includes(to)) throw new Error(`radius: ${this.st} → ${to} not allowed`);
    this.st = to;
  }

  private transmit(): void {
    this.transmissions++;
    this.sock.send(this.request.datagram);
  }

  private arm(ms: number): void {
    this.rtTimer = this.clock.setTimer(ms, () => this.onRtTimer());
  }

  /** RFC 5080 §2.2.1: retransmit until MRC retransmissions or MRD, whichever ends first. */
  private onRtTimer(): void {
    this.rtTimer = undefined;
    if (this.st !== 'waiting') return;
    const elapsed = this.clock.now() - this.startedAt;
    if (this.transmissions - 1 >= MRC || elapsed >= MRD_MS) {
      const why = this.lastDrop ? ` (last answer dropped: ${this.lastDrop})` : '';
      return this.fail(new RadiusError('timeout', `no answer from RADIUS server ${this.where()} after ${this.transmissions} tries in ${elapsed} ms${why}`));
    }
    this.transmit();
    this.rt = nextRetransmissionTime(this.rt);
    this.arm(Math.min(this.rt, MRD_MS - elapsed));
  }

  private onDatagram(msg: Buffer, from: UdpPeer): void {
    if (this.st !== 'waiting') return;
    let problem: RadiusPacket | string;
    try {
      problem = this.problemWith(msg, from);
    } catch (e) {
      problem = `not readable (${(e as Error).message})`; // network input never ends the exchange
    }
    if (typeof problem === 'string') {
      this.lastDrop = problem;
      return;
    }
    this.transition('answered');
    this.finish();
    this.settle?.resolve({ code: problem.code as ResponseCode, attributes: problem.attributes, transmissions: this.transmissions });
  }

  /** The authentic answer, or why the datagram is dropped. */
  private problemWith(msg: Buffer, from: UdpPeer): RadiusPacket | string {
    if (from.address !== this.server.address || from.port !== this.server.port) return `from ${from.address}:${from.port}, not the server`;
    let p: RadiusPacket;
    try {
      p = decodeRadius(msg);
    } catch (e) {
      if (e instanceof DecodeError) return `undecodable (${e.reason})`;
      throw e;
    }
    if (p.code === 'Access-Request') return 'an Access-Request, not a response';
    if (p.identifier !== this.request.identifier) return `Identifier ${p.identifier}, not ${this.request.identifier}`;
    if (!responseAuthentic(msg, this.request.authenticator, this.secret)) return `${p.code} with a wrong Response Authenticator (shared secret?)`;
    const ma = checkMessageAuthenticator(p, this.request.authenticator, this.secret);
    if (ma === 'invalid') return `${p.code} with a wrong Message-Authenticator`;
    if (ma === 'absent' && p.code !== 'Access-Reject') return `${p.code} without Message-Authenticator (required, CVE-2024-3596)`;
    return p;
  }

  private fail(e: RadiusError): void {
    if (this.st !== 'waiting') return;
    this.transition('failed');
    this.finish();
    this.settle?.reject(e);
  }

  private finish(): void {
    this.rtTimer?.();
    this.rtTimer = undefined;
    this.sock.close();
  }
}
