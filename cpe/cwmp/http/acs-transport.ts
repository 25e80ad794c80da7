/**
 * HTTP(S) to the ACS for one CWMP session (TR-069 §3.4): one keep-alive connection (an Agent with a
 * single socket), the session's cookies, Basic or Digest answered on that same connection,
 * redirects followed, responses size-limited. TLS peers verified against the given CAs unless
 * the operator turns verification off; client certificate from P8220/P8221.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { TransportError } from '../../shared/errors';
import type { Random } from '../../shared/random';
import { MAX_ENVELOPE_CHARS } from '../soap/xml';
import { CookieJar } from './cookies';
import { basicAuthorization, digestAuthorization, parseChallenges, type Challenge } from './digest';

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
  readonly localAddress?: string;
}

const MAX_REDIRECTS = 5;

export class HttpAcsTransport implements AcsTransport {
  private url: URL;
  /** Request options of `url`, derived once per URL rather than per POST (two POSTs a session at least). */
  private target: http.RequestOptions;
  private agent: SessionConnection;
  private readonly jar = new CookieJar();
  private challenge: Challenge | undefined;
  private nc = 0;
  private closed = false;
  private pending: http.ClientRequest | undefined;

  constructor(private readonly o: HttpAcsOptions) {
    this.url = new URL(o.url);
    this.target = this.targetOf(this.url);
    this.agent = this.makeAgent();
  }

  private targetOf(url: URL): http.RequestOptions {
    // What url.urlToHttpOptions gives http.request, without the fields it does not read.
    const o: http.RequestOptions = {
      protocol: url.protocol,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
    };
    if (url.port !== '') o.port = Number(url.port);
    if (url.username !== '' || url.password !== '') o.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    if (this.o.localAddress) o.localAddress = this.o.localAddress;
    return o;
  }

  /** The session's one connection (TR-069 §3.4: a session keeps one connection), TLS per the options. */
  private makeAgent(): SessionConnection {
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
          ...local,
        }),
      );
    }
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
        this.agent.destroy();
        this.agent = this.makeAgent();
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
    const headers: http.OutgoingHttpHeaders = {
      'User-Agent': this.o.userAgent,
      'Content-Length': Buffer.byteLength(body),
      Connection: 'keep-alive',
    };
    if (body.length > 0) {
      headers['Content-Type'] = 'text/xml; charset="utf-8"';
      headers.SOAPAction = '';
    }
    const cookie = this.jar.header();
    if (cookie) headers.Cookie = cookie;
    const auth = this.authorization(body);
    if (auth) headers.Authorization = auth;
    const mod = this.url.protocol === 'https:' ? https : http;
    return new Promise<AcsReply>((resolve, reject) => {
      const req = mod.request(
        { ...this.target, agent: this.agent as unknown as http.Agent, headers },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_ENVELOPE_CHARS * 4) {
              req.destroy(new TransportError('ACS response too large'));
              return;
            }
            chunks.push(c);
          });
          res.on('end', () => {
            this.pending = undefined;
            this.jar.store(res.headers['set-cookie']);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', (e) => reject(new TransportError(e.message, { cause: e })));
        },
      );
      this.pending = req;
      req.on('error', (e) => {
        this.pending = undefined;
        reject(e instanceof TransportError ? e : new TransportError(e.message, { cause: e }));
      });
      req.end(body);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending?.destroy(new TransportError('session closed'));
    this.agent.destroy();
  }
}

/**
 * What http.request sees as its agent: it hands every request of the session the same socket,
 * opened on first use and again only if the ACS closed it (Connection: close). Node's own Agent
 * pools per host with bookkeeping a one-connection session never needs; at fleet scale that
 * bookkeeping cost more than the rest of the client. The socket keeps an error listener while idle
 * (an ACS resetting an idle connection must not crash the process); http.ClientRequest adds its
 * own while a request is in flight.
 */
class SessionConnection {
  readonly keepAlive = true;
  readonly maxSockets = 1;
  private socket: net.Socket | undefined;

  constructor(private readonly open: () => net.Socket) {}

  addRequest(req: http.ClientRequest): void {
    let s = this.socket;
    if (!s || s.destroyed || !s.writable) {
      s?.destroy();
      s = this.open();
      s.on('error', () => undefined);
      this.socket = s;
    }
    req.onSocket(s);
  }

  destroy(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }
}

/** Digest is preferred to Basic when an ACS offers both. */
function pickChallenge(h: string | string[] | undefined): Challenge | undefined {
  if (h === undefined) return undefined;
  const list = parseChallenges(Array.isArray(h) ? h : [h]);
  return list.find((c) => c.scheme === 'Digest') ?? list.find((c) => c.scheme === 'Basic');
}
