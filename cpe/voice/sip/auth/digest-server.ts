/**
 * The server side of digest (RFC 2617 §3.2.1, §3.2.2): challenges a request (401) and checks the
 * credentials that come back against our own nonces and the account's password. Used to
 * authenticate NOTIFY check-sync / resync / reset (P4428 off).
 */
import type { Random } from '../../../shared/random';
import { decodeChallenge, encodeChallenge } from '../syntax/auth-header';
import type { SipRequest } from '../syntax/message';
import { digestResponse, type DigestAlgorithm } from './digest-client';

export class DigestServer {
  private readonly nonces: string[] = [];

  constructor(private readonly random: Random, readonly realm: string) {}

  /** A WWW-Authenticate value with a fresh nonce (the last 8 stay valid). */
  challenge(): string {
    const nonce = this.random.bytes(16).toString('hex');
    this.nonces.push(nonce);
    if (this.nonces.length > 8) this.nonces.shift();
    return encodeChallenge({ scheme: 'Digest', params: new Map([['realm', this.realm], ['nonce', nonce], ['qop', 'auth'], ['algorithm', 'MD5']]) });
  }

  /** True when the Authorization header answers one of our nonces with this username and password. */
  verify(req: SipRequest, username: string, password: string): boolean {
    for (const value of req.headers.getAll('Authorization')) {
      let h;
      try {
        h = decodeChallenge(value);
      } catch {
        continue;
      }
      const p = h.params;
      const nonce = p.get('nonce');
      if (h.scheme.toLowerCase() !== 'digest' || !nonce || !this.nonces.includes(nonce)) continue;
      if (p.get('username') !== username || p.get('realm') !== this.realm) continue;
      const alg = (p.get('algorithm') ?? 'MD5') as DigestAlgorithm;
      if (alg !== 'MD5' && alg !== 'MD5-sess') continue;
      const qop = p.get('qop');
      try {
        const expected = digestResponse({
          algorithm: alg, username, password, realm: this.realm, nonce, method: req.method, uri: p.get('uri') ?? '',
          ...(qop === 'auth' ? { qop: 'auth' as const, nc: p.get('nc') ?? '', cnonce: p.get('cnonce') ?? '' } : {}),
          ...(alg === 'MD5-sess' ? { cnonce: p.get('cnonce') ?? '' } : {}),
        });
        if (expected === p.get('response')) return true;
      } catch {
        continue;
      }
    }
    return false;
  }
}
