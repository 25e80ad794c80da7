/**
 * The real transports of one local SIP port (RFC 3261 §18): a UDP socket and a TCP listener on
 * address:port, outgoing TCP and TLS connections reused per destination (§18.1.1, RFC 5923 in
 * spirit), TLS with the server certificate verified against the trusted CAs and SNI, CRLF
 * keep-alives on streams (RFC 5626 §4.4.1), rport/received stamping (RFC 3581), and the switch to
 * TCP for large requests. A request that does not parse is answered 400 with the problem as
 * reason phrase (bad-request.ts); other bad input is dropped; both get a rate-limited log line.
 * A stream that cannot be framed is closed.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import type { Clock } from '../../../shared/clock';
import { DecodeError, TransportError } from '../../../shared/errors';
import type { Logger } from '../../../shared/logger';
import { badRequestResponse } from '../syntax/bad-request';
import { decodeMessage } from '../syntax/decode-message';
import { encodeMessage } from '../syntax/encode-message';
import type { SipMessage } from '../syntax/message';
import { StreamFramer } from '../syntax/stream-framer';
import { hostForUri } from '../syntax/uri';
import { looksLikeStun } from '../../../shared/stun';
import {
  stampVia, UDP_MAX_REQUEST, type HostPort, type StunTransport, type TransportProtocol, type TransportTarget, type TransportUser,
} from './transport';
import { bindSocket, literalLookup } from '../../../shared/bind-udp';
import type { TlsVersions } from '../../../shared/tls-versions';

export interface SipTransportsOptions {
  address: string;
  /** 0 = an ephemeral port. */
  port: number;
  /** Listen for TCP on the same port (incoming requests over TCP). */
  listenTcp?: boolean;
  /**
   * TLS peers: extra trusted CAs; `rejectUnauthorized` checks the certificate chain (P2367) and
   * `checkDomain` the name in it (P2311). Both default to true. `versions`: P22293/P22294.
   */
  tls?: { ca?: string[]; rejectUnauthorized?: boolean; checkDomain?: boolean; versions?: TlsVersions };
  clock: Clock;
  log: Logger;
  /** Connect timeout for TCP/TLS (ms). */
  connectTimeoutMs?: number;
}

interface Conn {
  key: string;
  protocol: 'tcp' | 'tls';
  socket: net.Socket;
  ready: Promise<void>;
  framer: StreamFramer;
  pongWaiters: Array<(ok: boolean) => void>;
}

export class SipTransports implements StunTransport {
  private udp: dgram.Socket | undefined;
  private server: net.Server | undefined;
  private readonly conns = new Map<string, Conn>();
  private user: TransportUser | undefined;
  private boundPort = 0;
  private closed = false;
  private badCount = 0;
  private badWindowStart = 0;
  private stunHandler: ((bytes: Buffer, from: HostPort) => void) | undefined;
  private publicAddress: HostPort | undefined;
  private local: HostPort | undefined;

  constructor(private readonly opts: SipTransportsOptions) {}

  async start(): Promise<void> {
    const family = this.opts.address.includes(':') ? 6 : 4;
    // targets are addresses the locator resolved (RFC 3263): no dns.lookup per datagram
    const udp = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4', lookup: literalLookup(family) as never });
    await bindSocket(udp, { port: this.opts.port, address: this.opts.address });
    udp.on('error', (e) => this.opts.log.warn({ err: e.message }, 'sip udp socket error'));
    udp.on('message', (msg, rinfo) => this.onDatagram(msg, { address: rinfo.address, port: rinfo.port }));
    this.udp = udp;
    this.boundPort = udp.address().port;
    if (this.opts.listenTcp !== false) {
      const server = net.createServer((s) => this.adopt(s, 'tcp', `tcp:${s.remoteAddress}:${s.remotePort}`));
      await new Promise<void>((resolve) => {
        server.once('error', (e) => {
          // TCP port taken: UDP still works; incoming TCP requests come back on our own connections
          this.opts.log.warn({ err: e.message, port: this.boundPort }, 'sip tcp listen failed');
          this.server = undefined;
          resolve();
        });
        server.listen(this.boundPort, this.opts.address, () => resolve());
      });
      if (server.listening) this.server = server;
    }
  }

  setUser(user: TransportUser): void {
    this.user = user;
  }

  localAddress(_protocol: TransportProtocol): HostPort {
    // one frozen value per bound port: every incoming message carries it
    if (this.local?.port !== this.boundPort) this.local = Object.freeze({ address: this.opts.address, port: this.boundPort });
    return this.local;
  }

  reliable(protocol: TransportProtocol): boolean {
    return protocol !== 'udp';
  }

  send(message: SipMessage, target: TransportTarget): Promise<TransportTarget> {
    if (this.closed) return Promise.reject(new TransportError('transport closed'));
    try {
      return this.encodeAndSend(message, target);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private encodeAndSend(message: SipMessage, target: TransportTarget): Promise<TransportTarget> {
    let t = target;
    if (message.type !== 'request') return this.writeTo(t, encodeMessage(message));
    const top = message.via[0];
    const stamp = (protocol: TransportProtocol): void => {
      if (!top) return;
      // sent-by: the STUN-mapped address when known (UDP only: the mapping is the UDP socket's)
      const pub = protocol === 'udp' ? this.publicAddress : undefined;
      top.transport = protocol.toUpperCase();
      top.host = hostForUri(pub?.address ?? this.opts.address);
      top.port = pub?.port ?? this.boundPort;
    };
    // encoded once; again only when §18.1.1 moves a large request from UDP to TCP
    stamp(t.protocol);
    let bytes = encodeMessage(message);
    if (t.protocol === 'udp' && bytes.length > UDP_MAX_REQUEST) {
      t = { ...t, protocol: 'tcp' };
      stamp('tcp');
      bytes = encodeMessage(message);
    }
    return this.writeTo(t, bytes);
  }

  /** write(), resolving with the target used: one promise per datagram on the UDP path. */
  private writeTo(t: TransportTarget, bytes: Buffer): Promise<TransportTarget> {
    // syslog P1387: undefined unless someone listens, so nothing is built for nobody
    const trace = this.opts.log.sipTrace;
    if (trace) trace({ direction: 'sent', protocol: t.protocol, address: t.address, port: t.port, bytes });
    const udp = this.udp;
    if (t.protocol !== 'udp' || !udp) return this.write(t, bytes).then(() => t);
    return new Promise((resolve, reject) => udp.send(bytes, t.port, t.address, (err) => (err ? reject(new TransportError(err.message)) : resolve(t))));
  }

  sendDatagram(bytes: Buffer, to: HostPort): Promise<void> {
    if (this.closed) return Promise.reject(new TransportError('transport closed'));
    return this.write({ protocol: 'udp', ...to }, bytes);
  }

  setStunHandler(handler: ((bytes: Buffer, from: HostPort) => void) | undefined): void {
    this.stunHandler = handler;
  }

  setPublicAddress(address: HostPort | undefined): void {
    this.publicAddress = address;
  }

  /** Raw bytes to a target (keep-alives). */
  async write(t: TransportTarget, bytes: Buffer): Promise<void> {
    if (t.protocol === 'udp') {
      const udp = this.udp;
      if (!udp) throw new TransportError('udp not started');
      await new Promise<void>((resolve, reject) => udp.send(bytes, t.port, t.address, (err) => (err ? reject(new TransportError(err.message)) : resolve())));
      return;
    }
    const conn = this.connection(t);
    await conn.ready;
    await new Promise<void>((resolve, reject) => conn.socket.write(bytes, (err) => (err ? reject(new TransportError(err.message)) : resolve())));
  }

  /**
   * RFC 5626 §4.4.1 keep-alive: CRLFCRLF; on a stream, resolves true when the CRLF pong comes
   * back within 10 s. Over UDP it is a NAT keep-alive packet and resolves true once sent.
   */
  async keepAlive(t: TransportTarget): Promise<boolean> {
    if (t.protocol === 'udp') {
      await this.write(t, Buffer.from('\r\n\r\n'));
      return true;
    }
    const conn = this.connection(t);
    await conn.ready;
    return new Promise<boolean>((resolve) => {
      let done = false;
      const finish = (ok: boolean): void => {
        if (done) return;
        done = true;
        cancel();
        resolve(ok);
      };
      const cancel = this.opts.clock.setTimer(10_000, () => finish(false));
      conn.pongWaiters.push(finish);
      conn.socket.write('\r\n\r\n');
    });
  }

  private connection(t: TransportTarget): Conn {
    const key = t.flow ?? `${t.protocol}:${t.address}:${t.port}`;
    const existing = this.conns.get(key) ?? this.conns.get(`${t.protocol}:${t.address}:${t.port}`);
    if (existing && !existing.socket.destroyed) return existing;
    if (t.protocol === 'udp') throw new TransportError('no stream for udp');
    const timeout = this.opts.connectTimeoutMs ?? 10_000;
    let socket: net.Socket;
    let ready: Promise<void>;
    if (t.protocol === 'tls') {
      const servername = t.serverName && !net.isIP(t.serverName) ? t.serverName : undefined;
      const checkChain = this.opts.tls?.rejectUnauthorized ?? true;
      const checkDomain = this.opts.tls?.checkDomain ?? true;
      // the name the user configured (the SIP domain), not the resolved address (RFC 5922 §7)
      const name = t.serverName ?? t.address;
      const s = tls.connect({
        host: t.address, port: t.port, servername,
        ca: this.opts.tls?.ca && this.opts.tls.ca.length > 0 ? [...tls.rootCertificates, ...this.opts.tls.ca] : undefined,
        rejectUnauthorized: checkChain,
        checkServerIdentity: (_host, cert) => (checkDomain ? tls.checkServerIdentity(name, cert) : undefined),
        ...this.opts.tls?.versions, // P22293/P22294
      });
      socket = s;
      ready = new Promise((resolve, reject) => {
        s.once('secureConnect', () => {
          // Without the chain check Node accepts any certificate, whatever its name: check the
          // name here when P2311 still asks for it.
          const wrongName = !checkChain && checkDomain ? tls.checkServerIdentity(name, s.getPeerCertificate()) : undefined;
          if (!wrongName) return resolve();
          reject(new TransportError(`tls ${t.address}:${t.port}: ${wrongName.message}`));
          s.destroy();
        });
        s.once('error', (e) => reject(new TransportError(`tls ${t.address}:${t.port}: ${e.message}`)));
      });
    } else {
      socket = net.connect({ host: t.address, port: t.port });
      ready = new Promise((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('error', (e) => reject(new TransportError(`tcp ${t.address}:${t.port}: ${e.message}`)));
      });
    }
    socket.setTimeout(timeout, () => {
      if (socket.connecting) socket.destroy(new Error('connect timeout'));
    });
    ready.then(() => socket.setTimeout(0), () => {});
    const conn = this.adopt(socket, t.protocol, `${t.protocol}:${t.address}:${t.port}`, ready);
    return conn;
  }

  private adopt(socket: net.Socket, protocol: 'tcp' | 'tls', key: string, ready: Promise<void> = Promise.resolve()): Conn {
    const conn: Conn = { key, protocol, socket, ready, framer: new StreamFramer(), pongWaiters: [] };
    this.conns.set(key, conn);
    socket.on('data', (chunk: Buffer) => this.onStreamData(conn, chunk));
    socket.on('error', (e) => this.opts.log.debug({ err: e.message, flow: key }, 'sip connection error'));
    socket.on('close', () => {
      if (this.conns.get(key) === conn) this.conns.delete(key);
      for (const w of conn.pongWaiters.splice(0)) w(false);
    });
    return conn;
  }

  private onStreamData(conn: Conn, chunk: Buffer): void {
    let frames;
    try {
      frames = conn.framer.push(chunk);
    } catch (e) {
      this.bad(e, conn.socket.remoteAddress ?? '', conn.socket.remotePort ?? 0, conn.protocol);
      conn.socket.destroy();
      return;
    }
    const remote = { address: conn.socket.remoteAddress ?? '', port: conn.socket.remotePort ?? 0 };
    for (const f of frames) {
      if (f.kind === 'ping') conn.socket.write('\r\n');
      else if (f.kind === 'pong') for (const w of conn.pongWaiters.splice(0)) w(true);
      else this.deliver(f.bytes, conn.protocol, remote, conn.key);
    }
  }

  private onDatagram(bytes: Buffer, remote: HostPort): void {
    // NAT keep-alives (CRLF) and STUN packets are not SIP
    if (bytes.length <= 4 && /^[\r\n]*$/.test(bytes.toString('latin1'))) return;
    if (looksLikeStun(bytes)) {
      try {
        this.stunHandler?.(bytes, remote);
      } catch (e) {
        this.opts.log.warn({ err: String(e) }, 'sip: STUN datagram handler failed');
      }
      return;
    }
    this.deliver(bytes, 'udp', remote, undefined);
  }

  private deliver(bytes: Buffer, protocol: TransportProtocol, remote: HostPort, flow: string | undefined): void {
    const trace = this.opts.log.sipTrace;
    if (trace) trace({ direction: 'received', protocol, address: remote.address, port: remote.port, bytes });
    let message: SipMessage;
    try {
      message = decodeMessage(bytes);
    } catch (e) {
      if (this.bad(e, remote.address, remote.port, protocol)) this.answerBadRequest(bytes, e, protocol, remote, flow);
      return;
    }
    if (message.type === 'request') stampVia(message, remote);
    try {
      this.user?.onMessage({ message, protocol, remote, local: this.localAddress(protocol), flow });
    } catch (e) {
      this.opts.log.error({ err: String(e) }, 'sip message handler failed');
    }
  }

  /**
   * §21.4.1: a request that does not parse gets a 400 naming the problem. It goes back where the
   * datagram came from (or on its connection), never to the Via of a message we could not read:
   * a forged Via must not turn the unit into a reflector.
   */
  private answerBadRequest(bytes: Buffer, e: unknown, protocol: TransportProtocol, remote: HostPort, flow: string | undefined): void {
    const problem = e instanceof DecodeError ? e.reason : 'unreadable message';
    const answer = badRequestResponse(bytes, problem);
    if (!answer) return;
    const target: TransportTarget = { protocol, address: remote.address, port: remote.port };
    if (flow !== undefined) target.flow = flow;
    this.write(target, answer).catch((err: Error) => this.opts.log.debug({ err: err.message }, 'sip: 400 not sent'));
  }

  /**
   * A log line for bad input, at most 10 per 10 s (a flood must not flood the log). True while the
   * window has seen at most 100: beyond that, bad requests are dropped without an answer.
   */
  private bad(e: unknown, address: string, port: number, protocol: TransportProtocol): boolean {
    const now = this.opts.clock.now();
    if (now - this.badWindowStart > 10_000) {
      if (this.badCount > 10) this.opts.log.warn({ dropped: this.badCount - 10 }, 'sip: more malformed messages dropped');
      this.badWindowStart = now;
      this.badCount = 0;
    }
    this.badCount++;
    if (this.badCount <= 10) {
      const reason = e instanceof DecodeError ? e.message : String(e);
      this.opts.log.warn({ from: `${address}:${port}`, protocol, reason }, 'sip: malformed message');
    }
    return this.badCount <= 100;
  }

  get port(): number {
    return this.boundPort;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.conns.values()) c.socket.destroy();
    this.conns.clear();
    await Promise.all([
      new Promise<void>((r) => (this.udp ? this.udp.close(() => r()) : r())),
      new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r())),
    ]);
  }
}
