/**
 * The server side of digest (RFC 2617 §3.2.1, §3.2.2; RFC 7616 §3.3, §3.4; RFC 3261 §22.2):
 * challenges a request (401) and checks the credentials that come back against our own nonces and
 * the account's password. Used to authenticate NOTIFY check-sync / resync / reset (P4428 off) and
 * incoming INVITEs (P2346/P2446).
 *
 * Nonces are 16 bytes of the injected Random, remembered in a bounded table (oldest forgotten
 * first). Options, off by default (NOTIFY and the test registrar keep the plain behaviour):
 * - `lifetimeMs` with a `clock`: an older nonce is stale (RFC 7616 §3.3 stale=true: the client
 *   may answer the fresh challenge without asking its user again);
 * - `replayProtection`: each use of a nonce must carry a larger nonce-count (RFC 7616 §3.4 nc),
 *   and a nonce answered without qop serves once (RFC 2617 §3.2.2: one-time nonces).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../../shared/clock';
import type { Random } from '../../../shared/random';
import { decodeChallenge, encodeChallenge } from '../syntax/auth-header';
import type { SipRequest } from '../syntax/message';
import { digestResponse, type DigestAlgorithm } from './digest-client';

/**
 * What the credentials of a request are worth: `missing` (none for our realm: challenge),
 * `stale` (right password, spent or expired nonce: challenge again with stale=true), `wrong`
 * (wrong user name or password), `ok`.
 */
export type DigestVerdict = 'ok' | 'missing' | 'stale' | 'wrong';

export interface DigestServerOptions {
  /** Nonces remembered at once (default 8). */
  maxNonces?: number;
  clock?: Clock;
  /** With `clock`: a nonce older than this is stale. */
  lifetimeMs?: number;
  replayProtection?: boolean;
}

interface NonceState {
  readonly issuedAt: number;
  /** Highest nonce-count accepted so far (0: none). */
  nc: number;
  /** Accepted once without qop. */
  used: boolean;
}

export class DigestServer {
  private readonly nonces = new Map<string, NonceState>();
  private readonly maxNonces: number;

  constructor(
    private readonly random: Random,
    readonly realm: string,
    private readonly opts: DigestServerOptions = {},
  ) {
    this.maxNonces = Math.max(1, opts.maxNonces ?? 8);
  }

  /** A WWW-Authenticate value with a fresh nonce; `stale` tells the client its password was right (RFC 7616 §3.3). */
  challenge(opts: { stale?: boolean } = {}): string {
    const nonce = this.random.bytes(16).toString('hex');
    this.nonces.set(nonce, { issuedAt: this.opts.clock?.now() ?? 0, nc: 0, used: false });
    // a Map iterates in insertion order: the first key is the oldest nonce
    while (this.nonces.size > this.maxNonces) this.nonces.delete(this.nonces.keys().next().value as string);
    const params = new Map([['realm', this.realm], ['nonce', nonce], ['qop', 'auth'], ['algorithm', 'MD5']]);
    if (opts.stale) params.set('stale', 'true');
    return encodeChallenge({ scheme: 'Digest', params });
  }

  /** True when the Authorization header answers one of our nonces with this username and password. */
  verify(req: SipRequest, username: string, password: string): boolean {
    return this.check(req, username, password) === 'ok';
  }

  /** The verdict on the request's Authorization headers for our realm (the best one wins). */
  check(req: SipRequest, username: string, password: string): DigestVerdict {
    let verdict: DigestVerdict = 'missing';
    for (const value of req.headers.getAll('Authorization')) {
      let h;
      try {
        h = decodeChallenge(value);
      } catch {
        continue;
      }
      const p = h.params;
      const nonce = p.get('nonce');
      if (h.scheme.toLowerCase() !== 'digest' || !nonce || p.get('realm') !== this.realm) continue;
      if (p.get('username') !== username || !this.responseMatches(req, p, username, password, nonce)) {
        verdict = 'wrong';
        continue;
      }
      const state = this.nonces.get(nonce);
      // right password, but a nonce we no longer hold (forgotten, or from before a restart)
      if (!state) return 'stale';
      if (this.expired(state)) {
        this.nonces.delete(nonce);
        return 'stale';
      }
      if (this.opts.replayProtection && !this.fresh(state, p.get('qop'), p.get('nc'))) return 'stale';
      return 'ok';
    }
    return verdict;
  }

  private responseMatches(req: SipRequest, p: Map<string, string>, username: string, password: string, nonce: string): boolean {
    const alg = (p.get('algorithm') ?? 'MD5') as DigestAlgorithm;
    if (alg !== 'MD5' && alg !== 'MD5-sess') return false;
    const qop = p.get('qop');
    let expected: string;
    try {
      expected = digestResponse({
        algorithm: alg, username, password, realm: this.realm, nonce, method: req.method, uri: p.get('uri') ?? '',
        ...(qop === 'auth' ? { qop: 'auth' as const, nc: p.get('nc') ?? '', cnonce: p.get('cnonce') ?? '' } : {}),
        ...(alg === 'MD5-sess' ? { cnonce: p.get('cnonce') ?? '' } : {}),
      });
    } catch {
      return false;
    }
    const given = Buffer.from(p.get('response') ?? '');
    const want = Buffer.from(expected);
    // constant time: the comparison must not tell a guesser how many characters were right
    return given.length === want.length && timingSafeEqual(given, want);
  }

  private expired(state: NonceState): boolean {
    const { clock, lifetimeMs } = this.opts;
    return clock !== undefined && lifetimeMs !== undefined && clock.now() - state.issuedAt > lifetimeMs;
  }

  /** RFC 7616 §3.4: a nonce-count must grow; without qop a nonce serves once. Records this use. */
  private fresh(state: NonceState, qop: string | undefined, ncText: string | undefined): boolean {
    if (qop === 'auth') {
      const nc = /^[0-9a-fA-F]{8}$/.test(ncText ?? '') ? parseInt(ncText as string, 16) : 0;
      if (nc <= state.nc) return false;
      state.nc = nc;
      return true;
    }
    if (state.used) return false;
    state.used = true;
    return true;
  }
}
