/**
 * Connection request server (TR-069 §3.2.2): HTTP GET on ConnectionRequestURL, Digest
 * authentication with ConnectionRequestUsername/Password (P4511/P4512), 200 then a session with
 * 6 CONNECTION REQUEST. Rate limited; everything else refused. No settings are touched here.
 */
import http from 'node:http';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { Random } from '../shared/random';
import { verifyDigest } from './http/digest';

export interface ConnectionRequestDeps {
  readonly address: string;
  readonly port: number;
  readonly path: string;
  readonly realm: string;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  credentials(): { username: string; password: string };
  /** An authenticated request: open a session. */
  onRequest(): void;
  /** Minimum time between two accepted requests (ms). */
  readonly minIntervalMs?: number;
}

const NONCE_TTL_MS = 5 * 60_000;
const MAX_NONCES = 256;

export class ConnectionRequestServer {
  private server: http.Server | undefined;
  private readonly nonces = new Map<string, number>();
  private lastAccepted = -Infinity;
  /** The bound port, read once after listen (address() is a getsockname syscall; the URL is read per Inform). */
  private boundPort: number | undefined;

  constructor(private readonly d: ConnectionRequestDeps) {}

  get port(): number {
    return this.server && this.boundPort !== undefined ? this.boundPort : this.d.port;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => this.handle(req, res));
    server.requestTimeout = 10_000;
    server.headersTimeout = 10_000;
    server.maxHeadersCount = 50;
    server.on('clientError', (_e, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.d.port, this.d.address, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (e) => this.d.log.error({ err: e.message }, 'connection request server error'));
    const a = server.address();
    this.boundPort = typeof a === 'object' && a ? a.port : this.d.port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    this.boundPort = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    const send = (status: number, headers: http.OutgoingHttpHeaders = {}): void => {
      res.writeHead(status, { 'Content-Length': 0, ...headers });
      res.end();
    };
    if (req.method !== 'GET') return send(405, { Allow: 'GET' });
    const path = (req.url ?? '').split('?')[0];
    if (path !== this.d.path) return send(404);
    const now = this.d.clock.now();
    const { username, password } = this.d.credentials();
    const v = verifyDigest(req.headers.authorization, {
      username,
      password,
      realm: this.d.realm,
      method: 'GET',
      isOurNonce: (n) => {
        const t = this.nonces.get(n);
        return t !== undefined && now - t < NONCE_TTL_MS;
      },
    });
    if (!v.ok) {
      if (req.headers.authorization) this.d.log.warn({ from: req.socket.remoteAddress }, 'connection request with wrong credentials');
      return send(401, { 'WWW-Authenticate': `Digest realm="${this.d.realm}", qop="auth", nonce="${this.nonce(now)}", algorithm=MD5` });
    }
    if (v.nonce) this.nonces.delete(v.nonce); // one use per nonce: no replays
    const minInterval = this.d.minIntervalMs ?? 5_000;
    if (now - this.lastAccepted < minInterval) {
      return send(503, { 'Retry-After': String(Math.ceil((minInterval - (now - this.lastAccepted)) / 1000)) });
    }
    this.lastAccepted = now;
    send(200);
    this.d.log.info({ from: req.socket.remoteAddress }, 'connection request accepted');
    this.d.onRequest();
  }

  private nonce(now: number): string {
    for (const [n, t] of this.nonces) if (now - t >= NONCE_TTL_MS) this.nonces.delete(n);
    while (this.nonces.size >= MAX_NONCES) {
      const oldest = this.nonces.keys().next().value;
      if (oldest === undefined) break;
      this.nonces.delete(oldest);
    }
    const n = this.d.random.bytes(16).toString('hex');
    this.nonces.set(n, now);
    return n;
  }
}
