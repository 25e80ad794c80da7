/**
 * HTTP authentication of downloads: Basic (RFC 7617) and Digest (RFC 7616: MD5, MD5-sess,
 * SHA-256, SHA-256-sess; qop auth, or auth-int over the empty body of a GET). Pure apart from
 * the cnonce, which the caller passes in.
 */
import { createHash } from 'node:crypto';
import type { Credentials } from './fetcher';

export interface Challenge {
  readonly scheme: string;
  readonly params: ReadonlyMap<string, string>;
}

/** Parses WWW-Authenticate header values (one per header line; several challenges in one line are split too). */
export function parseChallenges(values: readonly string[]): Challenge[] {
  const out: Challenge[] = [];
  for (const value of values) {
    for (const part of value.split(/,\s*(?=(?:basic|digest|bearer|negotiate|ntlm)\b)/i)) {
      const m = /^\s*([A-Za-z][\w-]*)\s*(.*)$/s.exec(part);
      if (!m) continue;
      out.push({ scheme: m[1]!.toLowerCase(), params: authParams(m[2]!) });
    }
  }
  return out;
}

/** `realm="x", nonce="y", qop="auth,auth-int", algorithm=MD5` → map with lower-case names. */
function authParams(s: string): Map<string, string> {
  const m = new Map<string, string>();
  const re = /([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?\s*/gs;
  let r: RegExpExecArray | null;
  while ((r = re.exec(s)) !== null) {
    m.set(r[1]!.toLowerCase(), r[2] !== undefined ? r[2].replace(/\\(.)/g, '$1') : (r[3] ?? ''));
  }
  return m;
}

export function basicAuthorization(c: Credentials): string {
  return 'Basic ' + Buffer.from(`${c.user}:${c.password}`, 'utf8').toString('base64');
}

const DIGEST_ALGORITHMS: Record<string, { hash: 'md5' | 'sha256'; sess: boolean }> = {
  'md5': { hash: 'md5', sess: false },
  'md5-sess': { hash: 'md5', sess: true },
  'sha-256': { hash: 'sha256', sess: false },
  'sha-256-sess': { hash: 'sha256', sess: true },
};

/** True when we can answer this Digest challenge (a known algorithm, and a qop we speak or none). */
export function digestSupported(ch: Challenge): boolean {
  const alg = (ch.params.get('algorithm') ?? 'MD5').toLowerCase();
  return ch.scheme === 'digest' && DIGEST_ALGORITHMS[alg] !== undefined && ch.params.has('nonce');
}

/** The Authorization value answering a Digest challenge for `method uri` (RFC 7616 §3.4). */
export function digestAuthorization(
  ch: Challenge,
  c: Credentials,
  method: string,
  uri: string,
  cnonce: string,
  nc = 1,
): string {
  const algName = ch.params.get('algorithm') ?? 'MD5';
  const alg = DIGEST_ALGORITHMS[algName.toLowerCase()];
  if (!alg) throw new Error(`Digest algorithm ${algName} not supported`);
  const H = (s: string): string => createHash(alg.hash).update(s, 'utf8').digest('hex');
  const realm = ch.params.get('realm') ?? '';
  const nonce = ch.params.get('nonce') ?? '';
  const qops = (ch.params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase()).filter((q) => q !== '');
  const qop = qops.includes('auth') ? 'auth' : qops.includes('auth-int') ? 'auth-int' : undefined;
  let ha1 = H(`${c.user}:${realm}:${c.password}`);
  if (alg.sess) ha1 = H(`${ha1}:${nonce}:${cnonce}`);
  const ha2 = qop === 'auth-int' ? H(`${method}:${uri}:${H('')}`) : H(`${method}:${uri}`);
  const ncHex = nc.toString(16).padStart(8, '0');
  const response = qop ? H(`${ha1}:${nonce}:${ncHex}:${cnonce}:${qop}:${ha2}`) : H(`${ha1}:${nonce}:${ha2}`);
  const parts = [
    `username="${quote(c.user)}"`,
    `realm="${quote(realm)}"`,
    `nonce="${quote(nonce)}"`,
    `uri="${quote(uri)}"`,
    `algorithm=${algName}`,
    `response="${response}"`,
  ];
  if (qop) parts.push(`qop=${qop}`, `nc=${ncHex}`, `cnonce="${cnonce}"`);
  const opaque = ch.params.get('opaque');
  if (opaque !== undefined) parts.push(`opaque="${quote(opaque)}"`);
  return 'Digest ' + parts.join(', ');
}

function quote(s: string): string {
  return s.replace(/(["\\])/g, '\\$1');
}
