/**
 * HTTP(S) to the ACS for one CWMP session (TR-069 §3.4): one keep-alive connection (HTTP/1.1 from
 * ./http1-codec over a net or tls socket of our own), the session's cookies, Basic or Digest
 * answered on that same connection, redirects followed, responses size-limited. TLS peers verified against the given CAs unless
 * the operator turns verification off; client certificate from P8220/P8221.
 */
import type http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { TransportError } from '../../shared/errors';
import type { Random } from '../../shared/random';
import { MAX_ENVELOPE_CHARS } from '../soap/xml';
import { CookieJar } from './cookies';
import { encodeRequestHead, ResponseParser, type HttpResponse } from './http1-codec';
import { basicAuthorization, digestAuthorization, parseChallenges, type Challenge } from './digest';
import type { TlsVersions } from '../../shared/tls-versions';

export interface AcsReply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** What the session needs from the network: POST an envelope (or nothing), get the reply. */
export interface AcsTransport {
  post(body: string): Promise<AcsReply>;
  /** Ends the session's connection; a pending post rejects. */
  close(): void;
}

export interface HttpAcsOptions {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly random: Random;
  readonly userAgent: string;
  /** PEM CAs trusted for HTTPS (default: Node's bundled roots). */
  readonly ca?: string | readonly string[];
  readonly cert?: string;
  readonly key?: string;
  /** Default true: an HTTPS ACS must present a certificate we trust for its name. */
  readonly verify?: boolean;
  /** P22293/P22294 (cpe/shared/tls-versions.ts); default Node's. */
  readonly tlsVersions?: TlsVersions;
  readonly localAddress?: string;
}

const MAX_REDIRECTS = 5;

export class HttpAcsTransport implements AcsTransport {
  private url: URL;
  /** Request target of `url`, derived once per URL rather than per POST (two POSTs a session at least). */
  private target: Target;
  private conn: SessionConnection;
  private readonly jar = new CookieJar();
  private challenge: Challenge | undefined;
  private nc = 0;
  private closed = false;

  constructor(private readonly o: HttpAcsOptions) {
    this.url = new URL(o.url);
    this.target = this.targetOf(this.url);
    this.conn = this.connection();
  }

  /** Request target and Host of `url` (RFC 9112 §3.2); userinfo becomes Basic credentials. */
  private targetOf(url: URL): Target {
    const auth = url.username !== '' || url.password !== '' ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined;
    return { path: `${url.pathname}${url.search}`, host: url.host, ...(auth !== undefined ? { basic: Buffer.from(auth).toString('base64') } : {}) };
  }

  /** The session's one connection (TR-069 §3.4: a session keeps one connection), TLS per the options. */
  private connection(): SessionConnection {
    const url = this.url;
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const local = this.o.localAddress ? { localAddress: this.o.localAddress } : {};
    if (url.protocol === 'https:') {
      const ca = this.o.ca === undefined ? undefined : typeof this.o.ca === 'string' ? [this.o.ca] : [...this.o.ca];
      const port = url.port === '' ? 443 : Number(url.port);
      return new SessionConnection(() =>
        tls.connect({
          host,
          port,
          // SNI carries names only (RFC 6066 §3); the certificate is still checked against the IP.
          ...(net.isIP(host) ? {} : { servername: host }),
          ...(ca ? { ca } : {}),
          ...(this.o.cert ? { cert: this.o.cert } : {}),
          ...(this.o.key ? { key: this.o.key } : {}),
          rejectUnauthorized: this.o.verify !== false,
          ...this.o.tlsVersions,
          ...local,
        }),
      );
    }
    if (url.protocol !== 'http:') throw new TransportError(`ACS URL scheme ${url.protocol} is not http or https`);
    const port = url.port === '' ? 80 : Number(url.port);
    return new SessionConnection(() => net.connect({ host, port, ...local }));
  }

  async post(body: string): Promise<AcsReply> {
    let authTried = false;
    for (let hop = 0; hop <= MAX_REDIRECTS; ) {
      const reply = await this.send(body);
      if (reply.status === 401 && !authTried) {
        const ch = pickChallenge(reply.headers['www-authenticate']);
        if (ch) {
          this.challenge = ch;
          this.nc = 0;
          authTried = true;
          continue;
        }
      }
      if ([301, 302, 303, 307, 308].includes(reply.status) && typeof reply.headers.location === 'string') {
        // TR-069 §3.4.5: the session continues at the new location.
        this.url = new URL(reply.headers.location, this.url);
        this.target = this.targetOf(this.url);
        this.conn.destroy();
        this.conn = this.connection();
        this.challenge = undefined;
        hop++;
        continue;
      }
      return reply;
    }
    throw new TransportError(`more than ${MAX_REDIRECTS} redirects`);
  }

  private authorization(body: string): string | undefined {
    const ch = this.challenge;
    if (!ch) return undefined;
    if (ch.scheme === 'Basic') return basicAuthorization(this.o.username, this.o.password);
    this.nc++;
    return digestAuthorization({
      username: this.o.username,
      password: this.o.password,
      method: 'POST',
      uri: this.url.pathname + this.url.search,
      params: ch.params,
      cnonce: this.o.random.bytes(8).toString('hex'),
      nc: this.nc,
      body,
    });
  }

  private send(body: string): Promise<AcsReply> {
    if (this.closed) return Promise.reject(new TransportError('session closed'));
    const bytes = Buffer.from(body, 'utf8');
    const headers: Array<[string, string]> = [
      ['Host', this.target.host],
      ['User-Agent', this.o.userAgent],
      ['Content-Length', String(bytes.length)],
    ];
    if (bytes.length > 0) headers.push(['Content-Type', 'text/xml; charset="utf-8"'], ['SOAPAction', '']);
    const cookie = this.jar.header();
    if (cookie) headers.push(['Cookie', cookie]);
    const auth = this.authorization(body) ?? (this.target.basic ? `Basic ${this.target.basic}` : undefined);
    if (auth) headers.push(['Authorization', auth]);
    let head: string;
    try {
      head = encodeRequestHead('POST', this.target.path, headers);
    } catch (e) {
      return Promise.reject(new TransportError(e instanceof Error ? e.message : String(e)));
    }
    return this.conn.exchange(head, bytes).then((r) => {
      this.jar.store(r.headers['set-cookie'] as string[] | undefined);
      return { status: r.status, headers: r.headers as http.IncomingHttpHeaders, body: r.body.toString('utf8') };
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.conn.destroy(new TransportError('session closed'));
  }
}

interface Target {
  readonly path: string;
  readonly host: string;
  /** From userinfo in the ACS URL. */
  readonly basic?: string;
}

/**
 * The session's connection: opened on first use and again only when the ACS closed it; one
 * exchange at a time (CWMP never pipelines). The socket keeps an error listener throughout, so an
 * ACS resetting an idle connection never reaches the process as an unhandled error.
 */
class SessionConnection {
  private socket: net.Socket | undefined;
  private reusable = false;
  private waiting: { resolve(r: HttpResponse): void; reject(e: Error): void } | undefined;

  constructor(private readonly open: () => net.Socket) {}

  exchange(head: string, body: Buffer): Promise<HttpResponse> {
    if (this.waiting) return Promise.reject(new TransportError('an exchange is already in progress'));
    if (!this.socket || !this.reusable) this.connect();
    const s = this.socket!;
    return new Promise<HttpResponse>((resolve, reject) => {
      this.waiting = { resolve, reject };
      if (body.length === 0) s.write(head, 'latin1');
      else s.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
    });
  }

  private connect(): void {
    this.socket?.destroy();
    const s = this.open();
    const parser = new ResponseParser(MAX_ENVELOPE_CHARS * 4);
    this.socket = s;
    this.reusable = true;
    s.on('data', (d: Buffer) => {
      if (this.socket !== s) return;
      let r: HttpResponse | undefined;
      try {
        r = parser.push(d);
      } catch (e) {
        return this.fail(s, new TransportError(`bad HTTP response from the ACS: ${(e as Error).message}`));
      }
      // Bytes past the response (CWMP never pipelines) would pass for the next answer: not reused.
      if (r) this.complete(s, parser.idle ? r : { ...r, close: true });
    });
    s.on('end', () => {
      if (this.socket !== s) return;
      let r: HttpResponse | undefined;
      try {
        r = parser.end();
      } catch (e) {
        return this.fail(s, new TransportError((e as Error).message));
      }
      if (r) this.complete(s, r);
      else this.fail(s, new TransportError('the ACS closed the connection'));
    });
    s.on('error', (e: Error) => {
      if (this.socket === s) this.fail(s, new TransportError(e.message, { cause: e }));
    });
    s.on('close', () => {
      if (this.socket === s) this.fail(s, new TransportError('the ACS closed the connection'));
    });
  }

  private complete(s: net.Socket, r: HttpResponse): void {
    if (r.close) {
      this.reusable = false;
      this.socket = undefined;
      s.destroy();
    }
    const w = this.waiting;
    this.waiting = undefined;
    w?.resolve(r);
  }

  private fail(s: net.Socket, e: Error): void {
    this.reusable = false;
    if (this.socket === s) this.socket = undefined;
    s.destroy();
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(e);
  }

  destroy(e: Error = new TransportError('connection closed')): void {
    const s = this.socket;
    if (s) this.fail(s, e);
  }
}

/** Digest is preferred to Basic when an ACS offers both. */
function pickChallenge(h: string | string[] | undefined): Challenge | undefined {
  if (h === undefined) return undefined;
  const list = parseChallenges(Array.isArray(h) ? h : [h]);
  return list.find((c) => c.scheme === 'Digest') ?? list.find((c) => c.scheme === 'Basic');
}
