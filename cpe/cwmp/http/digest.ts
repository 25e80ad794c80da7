/**
 * HTTP authentication for CWMP (TR-069 §3.4.4): Digest (RFC 7616, MD5 / MD5-sess / SHA-256,
 * qop auth and auth-int) and Basic (RFC 7617). Pure functions: the caller supplies cnonces and nonces.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface Challenge {
  readonly scheme: 'Digest' | 'Basic';
  readonly params: Readonly<Record<string, string>>;
}

/** Parses one or more challenges of WWW-Authenticate header values. */
export function parseChallenges(headers: readonly string[]): Challenge[] {
  const out: Challenge[] = [];
  for (const h of headers) {
    // A new challenge starts where an auth-scheme token follows the start or a comma.
    const starts: Array<{ at: number; end: number; scheme: string }> = [];
    const re = /(?:^|,)\s*(Digest|Basic|Bearer|Negotiate|NTLM)(?:\s+|$)/gi;
    for (let m = re.exec(h); m; m = re.exec(h)) starts.push({ at: m.index, end: m.index + m[0].length, scheme: m[1]!.toLowerCase() });
    starts.forEach((st, i) => {
      const rest = h.slice(st.end, starts[i + 1]?.at ?? h.length);
      if (st.scheme === 'digest') out.push({ scheme: 'Digest', params: parseParams(rest) });
      else if (st.scheme === 'basic') out.push({ scheme: 'Basic', params: parseParams(rest) });
    });
  }
  return out;
}

export function parseParams(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  return out;
}

type Algo = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

function hasher(algo: string): (s: string) => string {
  const name = algo.toUpperCase().startsWith('SHA-256') ? 'sha256' : 'md5';
  return (s) => createHash(name).update(s).digest('hex');
}

export interface DigestInput {
  readonly username: string;
  readonly password: string;
  readonly method: string;
  readonly uri: string;
  readonly params: Readonly<Record<string, string>>;
  readonly cnonce: string;
  readonly nc: number;
  readonly body?: string;
}

/** RFC 7616 §3.4.1 response, plus the chosen qop. */
export function digestResponse(i: DigestInput): { response: string; qop?: 'auth' | 'auth-int'; algorithm: Algo } {
  const algorithm = ((i.params.algorithm ?? 'MD5') as Algo) || 'MD5';
  const H = hasher(algorithm);
  const realm = i.params.realm ?? '';
  const nonce = i.params.nonce ?? '';
  const qops = (i.params.qop ?? '').split(',').map((q) => q.trim()).filter(Boolean);
  const qop = qops.includes('auth') ? 'auth' : qops.includes('auth-int') ? 'auth-int' : undefined;
  const ncHex = i.nc.toString(16).padStart(8, '0');
  let ha1 = H(`${i.username}:${realm}:${i.password}`);
  if (algorithm.endsWith('-sess')) ha1 = H(`${ha1}:${nonce}:${i.cnonce}`);
  const ha2 = qop === 'auth-int' ? H(`${i.method}:${i.uri}:${H(i.body ?? '')}`) : H(`${i.method}:${i.uri}`);
  const response = qop ? H(`${ha1}:${nonce}:${ncHex}:${i.cnonce}:${qop}:${ha2}`) : H(`${ha1}:${nonce}:${ha2}`);
  return qop ? { response, qop, algorithm } : { response, algorithm };
}

const q = (s: string): string => `"${s.replace(/(["\\])/g, '\\$1')}"`;

/** The Authorization header value answering a Digest challenge. */
export function digestAuthorization(i: DigestInput): string {
  const r = digestResponse(i);
  const parts = [
    `username=${q(i.username)}`,
    `realm=${q(i.params.realm ?? '')}`,
    `nonce=${q(i.params.nonce ?? '')}`,
    `uri=${q(i.uri)}`,
    `algorithm=${r.algorithm}`,
    `response=${q(r.response)}`,
  ];
  if (r.qop) parts.push(`qop=${r.qop}`, `nc=${i.nc.toString(16).padStart(8, '0')}`, `cnonce=${q(i.cnonce)}`);
  if (i.params.opaque !== undefined) parts.push(`opaque=${q(i.params.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Server side: checks a Digest Authorization header against the expected credentials and one of our nonces. */
export function verifyDigest(
  header: string | undefined,
  expect: { username: string; password: string; realm: string; method: string; isOurNonce: (nonce: string) => boolean },
): { ok: boolean; nonce?: string; nc?: number } {
  if (!header || !/^Digest\s/i.test(header)) return { ok: false };
  const p = parseParams(header.slice(7));
  if (p.username !== expect.username || p.realm !== expect.realm || !p.nonce || !expect.isOurNonce(p.nonce) || !p.uri || !p.response) {
    return { ok: false };
  }
  const nc = p.nc ? parseInt(p.nc, 16) : 0;
  const params: Record<string, string> = { realm: expect.realm, nonce: p.nonce, algorithm: p.algorithm ?? 'MD5' };
  if (p.qop) params.qop = p.qop;
  const want = digestResponse({ username: expect.username, password: expect.password, method: expect.method, uri: p.uri, params, cnonce: p.cnonce ?? '', nc });
  const a = Buffer.from(want.response);
  const b = Buffer.from(p.response.toLowerCase());
  return { ok: a.length === b.length && timingSafeEqual(a, b), nonce: p.nonce, nc };
}
