/**
 * HTTP and HTTPS downloads (node:http / node:https): a GET with the unit's User-Agent, Basic or
 * Digest answered after a 401 challenge (credentials go to the first URL's origin only),
 * redirects followed a few times (never from HTTPS down to HTTP), server certificates and host
 * names verified unless the operator turned it off, extra trusted CAs (P2386/P2486).
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { SystemClock } from '../../shared/clock';
import { CryptoRandom } from '../../shared/random';
import { FetchError, onAbort, safeUrl, type FetchOptions, type Fetcher } from './fetcher';
import { basicAuthorization, digestAuthorization, digestSupported, parseChallenges } from './http-auth';

const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  challenges: string[];
  body: Buffer;
}

export class HttpFetcher implements Fetcher {
  async fetch(url: URL, opts: FetchOptions): Promise<Buffer> {
    try {
      return await this.get(url, opts);
    } catch (e) {
      throw mapError(e, safeUrl(url));
    }
  }

  private async get(url: URL, opts: FetchOptions): Promise<Buffer> {
    const clock = opts.clock ?? new SystemClock();
    const deadline = clock.now() + opts.timeoutMs;
    const origin = url.origin;
    let current = new URL(url.href);
    current.username = '';
    current.password = '';
    const creds = opts.credentials ?? (url.username ? { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : undefined);
    let authorization: string | undefined;
    let triedAuth = false;
    for (let hop = 0; ; ) {
      const reply = await this.request(current, opts, authorization, deadline - clock.now());
      if (reply.status === 401 && creds && !triedAuth && current.origin === origin) {
        triedAuth = true;
        authorization = this.answer(reply, current, creds, opts);
        if (authorization === undefined) throw new FetchError('auth', `HTTP 401 with no challenge we can answer (${reply.challenges.join(' | ') || 'none'})`, safeUrl(current));
        continue;
      }
      if (REDIRECTS.has(reply.status)) {
        const loc = reply.headers.location;
        if (!loc) throw new FetchError('protocol', `HTTP ${reply.status} without Location`, safeUrl(current));
        if (++hop > (opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS)) throw new FetchError('protocol', `more than ${opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS} redirects`, safeUrl(url));
        const next = new URL(loc, current);
        if (current.protocol === 'https:' && next.protocol !== 'https:') throw new FetchError('tls', `refusing a redirect from HTTPS to ${next.protocol}`, safeUrl(current));
        if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new FetchError('unsupported', `redirect to ${next.protocol}`, safeUrl(current));
        current = next;
        if (current.origin !== origin) authorization = undefined;
        continue;
      }
      if (reply.status >= 200 && reply.status < 300) return reply.body;
      const where = safeUrl(current);
      if (reply.status === 404 || reply.status === 410) throw new FetchError('not-found', `HTTP ${reply.status}`, where);
      if (reply.status === 401 || reply.status === 403) throw new FetchError('auth', `HTTP ${reply.status}${creds ? ' (credentials refused)' : ' (no credentials set)'}`, where);
      throw new FetchError('server', `HTTP ${reply.status}`, where);
    }
  }

  private answer(reply: Reply, url: URL, creds: { user: string; password: string }, opts: FetchOptions): string | undefined {
    const challenges = parseChallenges(reply.challenges);
    const digest = challenges.find(digestSupported);
    if (digest) {
      const cnonce = (opts.random ?? new CryptoRandom()).bytes(12).toString('hex');
      return digestAuthorization(digest, creds, 'GET', url.pathname + url.search, cnonce);
    }
    if (challenges.some((c) => c.scheme === 'basic')) return basicAuthorization(creds);
    return undefined;
  }

  private request(url: URL, opts: FetchOptions, authorization: string | undefined, budgetMs: number): Promise<Reply> {
    const where = safeUrl(url);
    if (budgetMs <= 0) return Promise.reject(new FetchError('timeout', `no answer within ${opts.timeoutMs} ms`, where));
    const clock = opts.clock ?? new SystemClock();
    const secure = url.protocol === 'https:';
    const headers: Record<string, string> = { Accept: '*/*', Connection: 'close' };
    if (opts.userAgent) headers['User-Agent'] = opts.userAgent;
    if (authorization) headers.Authorization = authorization;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const base: https.RequestOptions = {
      method: 'GET',
      host,
      port: url.port || (secure ? 443 : 80),
      path: url.pathname + url.search,
      headers,
      localAddress: opts.localAddress,
      agent: false,
    };
    if (secure) {
      base.rejectUnauthorized = opts.verifyTls !== false;
      // P22030 off: the chain is still verified, the name in the certificate is not
      if (opts.verifyHost === false) base.checkServerIdentity = () => undefined;
      if (opts.ca && opts.ca.length > 0) base.ca = opts.caOnly ? [...opts.ca] : [...tls.rootCertificates, ...opts.ca];
      if (!net.isIP(host)) base.servername = host;
      Object.assign(base, opts.tlsVersions);
    }
    return new Promise<Reply>((resolve, reject) => {
      let done = false;
      const finish = (err: Error | undefined, reply?: Reply): void => {
        if (done) return;
        done = true;
        cancel();
        detach();
        if (err) {
          req.destroy();
          reject(err);
        } else resolve(reply!);
      };
      const req = (secure ? https : http).request(base, (res) => {
        const status = res.statusCode ?? 0;
        const len = Number(res.headers['content-length'] ?? NaN);
        if (status >= 200 && status < 300 && len > opts.maxBytes) {
          res.destroy();
          return finish(new FetchError('too-large', `file of ${len} bytes exceeds the limit of ${opts.maxBytes}`, where));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          // Error bodies are read only to keep the connection sane; a success body is bounded by maxBytes.
          if (size > opts.maxBytes) {
            res.destroy();
            finish(new FetchError('too-large', `file exceeds the limit of ${opts.maxBytes} bytes`, where));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => finish(undefined, { status, headers: res.headers, challenges: wwwAuthenticate(res.rawHeaders), body: Buffer.concat(chunks, size) }));
        res.on('error', (e) => finish(mapError(e, where)));
        res.on('aborted', () => finish(new FetchError('unreachable', 'connection closed during the body', where)));
      });
      const cancel = clock.setTimer(budgetMs, () => finish(new FetchError('timeout', `no complete answer within ${opts.timeoutMs} ms`, where)));
      const detach = onAbort(opts.signal, () => finish(new FetchError('unreachable', 'aborted: the unit is stopping', where)));
      req.on('error', (e) => finish(mapError(e, where)));
      req.end();
    });
  }
}

function wwwAuthenticate(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'www-authenticate') out.push(raw[i + 1]!);
  return out;
}

const TLS_CODES = /CERT|SELF_SIGNED|ALTNAME|UNABLE_TO_|ERR_SSL|ERR_TLS|HOSTNAME|EPROTO/;

export function mapError(e: unknown, where: string): FetchError {
  if (e instanceof FetchError) return e;
  const err = e as NodeJS.ErrnoException;
  const code = String(err.code ?? '');
  if (TLS_CODES.test(code)) return new FetchError('tls', `TLS: ${err.message} (${code})`, where, { cause: e });
  if (code === 'ETIMEDOUT') return new FetchError('timeout', err.message, where, { cause: e });
  return new FetchError('unreachable', `${err.message}${code ? ` (${code})` : ''}`, where, { cause: e });
}
