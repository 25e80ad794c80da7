/**
 * A scripted ACS for tests: plays an ordered list of exchanges over real HTTP, checks what the
 * unit sends at each step, and records the transcript with volatile fields normalised
 * (CurrentTime, cwmp:ID, UpTime, times). Behaves like GenieACS where it matters: a `session`
 * cookie, Digest (or Basic) challenges tied to the TCP connection, 204 to end, 503 + Retry-After.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { digestResponse, parseParams } from '../cpe/cwmp/http/digest';
import { decodeEnvelope, encodeEnvelope } from '../cpe/cwmp/soap/envelope';
import type { CwmpMessage, CwmpVersion, Envelope } from '../cpe/cwmp/soap/types';

export interface Step {
  /** What the unit must send: a method name, or 'empty' for an empty POST. */
  readonly expect: string;
  /** Further checks on what arrived; throw to fail the step. */
  readonly check?: (env: Envelope | null, raw: string) => void;
  /** The answer: a message (sent in an envelope), null for 204, or a raw HTTP answer. */
  readonly reply:
    | CwmpMessage
    | null
    /** Never answer (session timeout tests); the connection is closed when the ACS stops. */
    | 'hang'
    | { readonly http: number; readonly headers?: Record<string, string>; readonly raw?: string }
    | ((env: Envelope | null) => CwmpMessage | null);
  readonly holdRequests?: boolean;
  readonly sessionTimeout?: number;
  /** Leave cwmp:ID out of this request (bad-input tests). */
  readonly noId?: boolean;
}

export interface AcsAuth {
  readonly scheme: 'digest' | 'basic';
  readonly username: string;
  readonly password: string;
}

export interface ScriptedAcsOptions {
  readonly auth?: AcsAuth;
  /** Set a `session` cookie on the first answer and require it afterwards (GenieACS). */
  readonly cookie?: boolean;
  /** HTTPS; with `clientCa` the ACS demands a client certificate issued by it (mutual TLS). */
  readonly tls?: { readonly key: string; readonly cert: string; readonly clientCa?: string };
  readonly version?: CwmpVersion;
}

export interface TranscriptEntry {
  readonly from: 'cpe' | 'acs';
  readonly xml: string;
}

export class ScriptedAcs {
  private server: http.Server | https.Server | undefined;
  private steps: Step[] = [];
  private idx = 0;
  readonly transcript: TranscriptEntry[] = [];
  readonly errors: string[] = [];
  /** Every HTTP request: method of the body and the connection it came on. */
  readonly requests: Array<{ method: string; socket: number; authorized: boolean; cookie?: string; clientCn?: string }> = [];
  private readonly sockets = new Map<net.Socket, number>();
  private readonly nonces = new Map<string, number>();
  private cookieValue: string | undefined;
  private waiters: Array<() => void> = [];
  port = 0;

  constructor(private readonly o: ScriptedAcsOptions = {}) {}

  get url(): string {
    return `${this.o.tls ? 'https' : 'http'}://127.0.0.1:${this.port}/acs`;
  }

  /** Replaces the script; steps are played in order, across sessions. */
  script(steps: Step[]): void {
    this.steps = steps;
    this.idx = 0;
  }

  get done(): boolean {
    return this.idx >= this.steps.length;
  }

  /** Resolves once every scripted step has been played. */
  finished(timeoutMs = 10_000): Promise<void> {
    if (this.done) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`scripted ACS: step ${this.idx + 1}/${this.steps.length} not reached; errors: ${this.errors.join('; ')}`)), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  async start(): Promise<void> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => this.handle(req, res);
    const t = this.o.tls;
    const server = t
      ? https.createServer({ key: t.key, cert: t.cert, ...(t.clientCa ? { ca: t.clientCa, requestCert: true, rejectUnauthorized: true } : {}) }, handler)
      : http.createServer(handler);
    server.keepAliveTimeout = 30_000;
    server.on('connection', (s: net.Socket) => this.sockets.set(s, this.sockets.size + 1));
    server.on('secureConnection', (s: net.Socket) => this.sockets.set(s, this.sockets.size + 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const a = server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
    this.server = server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private authorized(req: http.IncomingMessage, socketNo: number): boolean {
    const a = this.o.auth;
    if (!a) return true;
    const h = req.headers.authorization ?? '';
    if (a.scheme === 'basic') return h === `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}`;
    if (!/^Digest /i.test(h)) return false;
    const p = parseParams(h.slice(7));
    // The nonce belongs to the connection it was issued on (GenieACS).
    if (!p.nonce || this.nonces.get(p.nonce) !== socketNo || p.username !== a.username) return false;
    const params: Record<string, string> = { realm: 'GenieACS', nonce: p.nonce };
    if (p.qop) params.qop = p.qop;
    const want = digestResponse({
      username: a.username,
      password: a.password,
      method: req.method ?? 'POST',
      uri: p.uri ?? '',
      params,
      cnonce: p.cnonce ?? '',
      nc: parseInt(p.nc ?? '0', 16),
      body: (req as http.IncomingMessage & { rawBody?: string }).rawBody ?? '',
    });
    return want.response === p.response;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      (req as http.IncomingMessage & { rawBody?: string }).rawBody = raw;
      const socketNo = this.sockets.get(req.socket) ?? 0;
      let env: Envelope | null = null;
      if (raw.trim() !== '') {
        try {
          env = decodeEnvelope(raw);
        } catch (e) {
          this.errors.push(`undecodable envelope from the unit: ${String(e)}`);
        }
      }
      const method = env?.body?.method ?? 'empty';
      const ok = this.authorized(req, socketNo);
      const cookie = /(?:^|;\s*)session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      const peer = 'getPeerCertificate' in req.socket ? (req.socket as import('node:tls').TLSSocket).getPeerCertificate() : undefined;
      const clientCn = peer && typeof peer.subject?.CN === 'string' ? peer.subject.CN : undefined;
      this.requests.push({ method, socket: socketNo, authorized: ok, ...(cookie ? { cookie } : {}), ...(clientCn ? { clientCn } : {}) });
      if (!ok) {
        const nonce = randomBytes(8).toString('hex');
        this.nonces.set(nonce, socketNo);
        const challenge =
          this.o.auth?.scheme === 'basic' ? 'Basic realm="GenieACS"' : `Digest realm="GenieACS", qop="auth,auth-int", nonce="${nonce}"`;
        res.writeHead(401, { 'WWW-Authenticate': challenge, 'Content-Length': 0 });
        res.end();
        return;
      }
      if (this.o.cookie && method !== 'Inform' && cookie !== this.cookieValue) {
        this.errors.push(`request ${method} without the session cookie`);
      }
      this.transcript.push({ from: 'cpe', xml: raw });
      const step = this.steps[this.idx];
      if (!step) {
        this.errors.push(`unscripted request ${method}`);
        res.writeHead(204);
        res.end();
        return;
      }
      this.idx++;
      if (step.expect !== method) this.errors.push(`step ${this.idx}: expected ${step.expect}, got ${method}`);
      try {
        step.check?.(env, raw);
      } catch (e) {
        this.errors.push(`step ${this.idx} (${step.expect}): ${e instanceof Error ? e.message : String(e)}`);
      }
      const headers: Record<string, string> = {};
      if (this.o.cookie && method === 'Inform') {
        this.cookieValue = randomBytes(6).toString('hex');
        headers['Set-Cookie'] = `session=${this.cookieValue}; Path=/`;
      }
      const reply = typeof step.reply === 'function' ? step.reply(env) : step.reply;
      if (reply === 'hang') {
        if (this.done) for (const w of this.waiters.splice(0)) w();
        return;
      }
      if (reply === null) {
        res.writeHead(204, headers);
        res.end();
      } else if ('http' in reply) {
        res.writeHead(reply.http, { ...headers, ...(reply.headers ?? {}), 'Content-Length': Buffer.byteLength(reply.raw ?? '') });
        res.end(reply.raw ?? '');
        if (reply.raw) this.transcript.push({ from: 'acs', xml: reply.raw });
      } else {
        const isResponse = reply.method.endsWith('Response') || reply.method === 'Fault';
        const id = isResponse ? env?.id : step.noId ? undefined : `acs-${this.idx}`;
        const xml = encodeEnvelope({
          version: this.o.version ?? env?.version ?? '1-0',
          ...(id !== undefined ? { id } : {}),
          ...(step.holdRequests !== undefined ? { holdRequests: step.holdRequests } : {}),
          ...(step.sessionTimeout !== undefined ? { sessionTimeout: step.sessionTimeout } : {}),
          body: reply,
        });
        this.transcript.push({ from: 'acs', xml });
        res.writeHead(200, { ...headers, 'Content-Type': 'text/xml; charset="utf-8"', 'Content-Length': Buffer.byteLength(xml) });
        res.end(xml);
      }
      if (this.done) for (const w of this.waiters.splice(0)) w();
    });
  }
}

/** Volatile fields replaced so transcripts compare across runs (undici snapshot-recorder style). */
export function normalise(xml: string): string {
  return xml
    .replace(/(<cwmp:ID[^>]*>)[^<]*(<\/cwmp:ID>)/g, '$1ID$2')
    .replace(/(<CurrentTime>)[^<]*(<\/CurrentTime>)/g, '$1TIME$2')
    .replace(/(<(?:StartTime|CompleteTime)>)(?!0001)[^<]*(<\/(?:StartTime|CompleteTime)>)/g, '$1TIME$2')
    .replace(/(<Name>Device\.DeviceInfo\.UpTime<\/Name><Value[^>]*>)\d+(<\/Value>)/g, '$1N$2')
    .replace(/(<Name>Device\.ManagementServer\.ConnectionRequestURL<\/Name><Value[^>]*>)[^<]*(<\/Value>)/g, '$1URL$2')
    .replace(/(<Name>Device\.ManagementServer\.URL<\/Name><Value[^>]*>)[^<]*(<\/Value>)/g, '$1ACS$2')
    .replace(/(<Name>Device\.ManagementServer\.X_GRANDSTREAM_ConnectionRequestPort<\/Name><Value[^>]*>)\d+(<\/Value>)/g, '$1PORT$2')
    .replace(/(<Name>Device\.LAN\.IPAddress<\/Name><Value[^>]*>)[^<]*(<\/Value>)/g, '$1ADDR$2');
}
