/**
 * The digest client (RFC 2617 §3.2.2, RFC 7616 §3.4, RFC 3261 §22.4): answers a WWW-Authenticate
 * or Proxy-Authenticate challenge with Authorization / Proxy-Authorization credentials.
 * Algorithms MD5, MD5-sess, SHA-256, SHA-256-sess, SHA-512-256(-sess); qop auth and auth-int;
 * nonce counts per nonce. `digestResponse` is the pure computation (checked with the RFC vectors).
 */
import { hash } from 'node:crypto';
import type { Random } from '../../../shared/random';
import type { AuthHeader } from '../syntax/auth-header';
import { HtError } from '../../../shared/errors';

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';
const HASH: Record<string, string> = { 'MD5': 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };

export interface DigestInput {
  algorithm: DigestAlgorithm;
  username: string;
  password: string;
  realm: string;
  nonce: string;
  method: string;
  uri: string;
  qop?: 'auth' | 'auth-int';
  /** 8 hex digits, e.g. "00000001" (required with qop). */
  nc?: string;
  cnonce?: string;
  /** The message body, for auth-int. */
  body?: Buffer;
}

export class DigestError extends HtError {
  constructor(message: string) {
    super('ERR_SIP_DIGEST', message);
  }
}

function baseAlgorithm(a: DigestAlgorithm): string {
  return a.replace(/-sess$/, '');
}

function h(alg: string, data: string | Buffer): string {
  const name = HASH[alg];
  if (!name) throw new DigestError(`unsupported digest algorithm ${alg}`);
  // one-shot crypto.hash: a fleet computes three digests per registration (RFC 2617 §3.2.2.1)
  return hash(name, data, 'hex');
}

/** request-digest of RFC 7616 §3.4.1 (RFC 2617 §3.2.2.1 for MD5). */
export function digestResponse(d: DigestInput): string {
  const alg = baseAlgorithm(d.algorithm);
  let ha1 = h(alg, `${d.username}:${d.realm}:${d.password}`);
  if (d.algorithm.endsWith('-sess')) {
    if (d.cnonce === undefined) throw new DigestError('-sess needs a cnonce');
    ha1 = h(alg, `${ha1}:${d.nonce}:${d.cnonce}`);
  }
  const a2 = d.qop === 'auth-int' ? `${d.method}:${d.uri}:${h(alg, d.body ?? Buffer.alloc(0))}` : `${d.method}:${d.uri}`;
  const ha2 = h(alg, a2);
  if (d.qop) {
    if (d.nc === undefined || d.cnonce === undefined) throw new DigestError('qop needs nc and cnonce');
    return h(alg, `${ha1}:${d.nonce}:${d.nc}:${d.cnonce}:${d.qop}:${ha2}`);
  }
  return h(alg, `${ha1}:${d.nonce}:${ha2}`);
}

export interface Credentials {
  /** Authenticate ID (P36/P736), or the user ID when empty. */
  username: string;
  password: string;
}

export interface DigestRequest {
  method: string;
  uri: string;
  body?: Buffer;
}

const ALGORITHMS: readonly string[] = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess', 'SHA-512-256', 'SHA-512-256-sess'];

export class DigestClient {
  /** nonce → last nonce count used (RFC 7616 §3.4: nc counts requests sent with this nonce). */
  private readonly counts = new Map<string, number>();

  constructor(private readonly random: Random) {}

  /** True when this client can answer the challenge. */
  static supports(ch: AuthHeader): boolean {
    if (ch.scheme.toLowerCase() !== 'digest') return false;
    const alg = ch.params.get('algorithm') ?? 'MD5';
    return ALGORITHMS.some((a) => a.toLowerCase() === alg.toLowerCase());
  }

  answer(ch: AuthHeader, req: DigestRequest, cred: Credentials): AuthHeader {
    if (!DigestClient.supports(ch)) throw new DigestError(`cannot answer ${ch.scheme} ${ch.params.get('algorithm') ?? ''}`);
    const realm = ch.params.get('realm') ?? '';
    const nonce = ch.params.get('nonce');
    if (nonce === undefined) throw new DigestError('challenge without nonce');
    const algParam = ch.params.get('algorithm');
    const algorithm = (ALGORITHMS.find((a) => a.toLowerCase() === (algParam ?? 'MD5').toLowerCase()) ?? 'MD5') as DigestAlgorithm;
    const offered = (ch.params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase()).filter((q) => q !== '');
    const qop = offered.includes('auth') ? 'auth' : offered.includes('auth-int') ? 'auth-int' : undefined;
    const out = new Map<string, string>();
    out.set('username', cred.username);
    out.set('realm', realm);
    out.set('nonce', nonce);
    out.set('uri', req.uri);
    const input: DigestInput = { algorithm, username: cred.username, password: cred.password, realm, nonce, method: req.method, uri: req.uri };
    if (qop || algorithm.endsWith('-sess')) input.cnonce = this.random.bytes(12).toString('hex');
    if (qop) {
      if (this.counts.size > 16 && !this.counts.has(nonce)) this.counts.clear();
      const n = (this.counts.get(nonce) ?? 0) + 1;
      this.counts.set(nonce, n);
      input.qop = qop;
      input.nc = n.toString(16).padStart(8, '0');
      if (req.body) input.body = req.body;
    }
    out.set('response', digestResponse(input));
    out.set('algorithm', algorithm);
    if (input.cnonce !== undefined) out.set('cnonce', input.cnonce);
    const opaque = ch.params.get('opaque');
    if (opaque !== undefined) out.set('opaque', opaque);
    if (qop && input.nc) {
      out.set('qop', qop);
      out.set('nc', input.nc);
    }
    return { scheme: 'Digest', params: out };
  }
}
