/**
 * WWW-Authenticate / Proxy-Authenticate challenges and Authorization / Proxy-Authorization
 * credentials (RFC 3261 §25.1, RFC 2617 §3.2, RFC 7616 §3.3-3.4). Names are lower-cased.
 */
import { Cursor } from './cursor';

export interface AuthHeader {
  scheme: string;
  /** Parameter values with quotes removed; keys lower-case. */
  params: Map<string, string>;
}

export function decodeChallenge(value: string, pos = 0): AuthHeader {
  const c = new Cursor(value, pos);
  c.sws();
  const scheme = c.token('auth scheme');
  c.sws();
  const params = new Map<string, string>();
  if (c.done) return { scheme, params };
  do {
    const name = c.token('auth parameter').toLowerCase();
    if (!c.sep('=')) c.fail('expected = in auth parameter');
    const v = c.peek() === '"' ? c.quoted() : c.token('auth parameter value');
    params.set(name, v);
  } while (c.sep(','));
  c.end('auth header');
  return { scheme, params };
}

/** Parameters written without quotes (RFC 7616 §3.4: algorithm, qop, nc are tokens). */
const UNQUOTED = new Set(['algorithm', 'qop', 'nc', 'stale']);

export function encodeCredentials(h: AuthHeader): string {
  const parts: string[] = [];
  for (const [k, v] of h.params) {
    const escaped = v.includes('"') || v.includes('\\') ? v.replace(/["\\]/g, (m) => '\\' + m) : v;
    parts.push(UNQUOTED.has(k) ? `${k}=${v}` : `${k}="${escaped}"`);
  }
  return `${h.scheme} ${parts.join(', ')}`;
}

/** A challenge header value (used by test peers and the server-side code). */
export const encodeChallenge = encodeCredentials;
