/**
 * An account's gate for incoming requests (inbound-policy.ts), run by the transaction layer
 * before any transaction exists: a refusal is one stateless response (RFC 3261 §8.2.7), so a
 * scanner's flood leaves no state and draws no retransmissions. ACKs are never answered, only
 * dropped. In order, cheapest and widest first:
 *
 * 1. P243/P743, every request (OPTIONS keep-alives, NOTIFY check-sync/reset and in-dialog requests
 *    included): a source address that is not one of the account's servers or proxies (as
 *    resolved, trusted-sources.ts) gets 403 Forbidden. In-dialog requests must then come through
 *    the proxy too (it must Record-Route), as on a unit that only talks to its proxy.
 * 2. P4340/P4341, every request: strict-validation.ts, 400 naming the problem (415 for a body).
 * 3. Out-of-dialog INVITEs only (no To tag: re-INVITEs belong to an accepted call):
 *    a. P258/P449: a Request-URI user part other than the SIP user ID (P35/P735) gets 404 Not
 *       Found (§8.2.2.1). An empty user ID accepts only a Request-URI without a user part.
 *    b. P28127: a blacklisted caller (caller-blacklist.ts) gets 603 Decline (§21.6.2): the unit
 *       says no for its user, and a forking proxy tries no further.
 *    c. P2346/P2446: a 401 digest challenge (§22.2; realm = the account's SIP server, qop=auth,
 *       MD5, nonce from the injected Random) until the INVITE carries the account's credentials
 *       (auth ID P36/P736, else the user ID; password P34/P734). Nonces live 60 s, at most 32 are
 *       held, and each nonce-count is accepted once (replay). A right password on a spent or
 *       expired nonce gets a fresh 401 with stale=true; a wrong user name or password gets 403
 *       Forbidden (no second guess on the same challenge); with no password set, nothing passes.
 *       The digest's uri is not compared with the Request-URI: a proxy between the caller and us
 *       may have rewritten the latter. Requests inside a dialog, CANCEL and ACK are never
 *       challenged (§22.1).
 *
 * Each refusal is logged once (info; a dropped ACK at debug): the rule's P-number, the source,
 * the method, the status. No password is logged.
 */
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { Random } from '../../shared/random';
import { DigestServer } from '../sip/auth/digest-server';
import type { SipRequest, SipResponse } from '../sip/syntax/message';
import { unescape } from '../sip/syntax/uri';
import type { IncomingMessage } from '../sip/transport/transport';
import { validateRequest } from '../sip/ua/strict-validation';
import type { UserAgentCore } from '../sip/ua/user-agent-core';
import type { AccountConfig, Profile } from './account-config';
import { blockedCaller } from './caller-blacklist';
import { BLACKLIST_P, INBOUND_P, isOpen, type InboundPolicy } from './inbound-policy';
import type { TrustedSources } from './trusted-sources';

/** How long a challenge's nonce may be answered (ms) and how many are held at once. */
export const INVITE_NONCE_LIFETIME_MS = 60_000;
export const INVITE_NONCES = 32;

export interface InboundScreenDeps {
  readonly profile: Profile;
  readonly cfg: AccountConfig;
  readonly core: UserAgentCore;
  readonly trusted: TrustedSources;
  /** Starts a lookup of the servers and proxies into `trusted`. */
  readonly lookUpTrusted: () => void;
  readonly policy: () => InboundPolicy;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
}

interface Refusal {
  readonly rule: string;
  readonly status: number;
  readonly reason?: string;
  readonly headers?: ReadonlyArray<[string, string]>;
  readonly detail?: Record<string, unknown>;
}

export class InboundScreen {
  private readonly digest: DigestServer;

  constructor(private readonly deps: InboundScreenDeps) {
    this.digest = new DigestServer(deps.random, deps.cfg.servers[0]?.host || 'HT813', {
      clock: deps.clock, lifetimeMs: INVITE_NONCE_LIFETIME_MS, maxNonces: INVITE_NONCES, replayProtection: true,
    });
  }

  /** The transaction layer's screen: a stateless response, 'drop', or undefined to let the request in. */
  screen(req: SipRequest, incoming: IncomingMessage): SipResponse | 'drop' | undefined {
    const policy = this.deps.policy();
    if (isOpen(policy)) return undefined;
    const refusal = this.judge(req, incoming, policy);
    if (!refusal) return undefined;
    // the account's logger already names the account; an ACK is mostly the tail of a refused INVITE: debug
    const log = req.method === 'ACK' ? this.deps.log.debug.bind(this.deps.log) : this.deps.log.info.bind(this.deps.log);
    log({
      rule: refusal.rule, source: `${incoming.protocol}:${incoming.remote.address}:${incoming.remote.port}`,
      method: req.method, status: req.method === 'ACK' ? 'dropped' : refusal.status, callId: req.callId, ...refusal.detail,
    }, 'sip: incoming request refused');
    if (req.method === 'ACK') return 'drop';
    return this.deps.core.makeResponse(req, refusal.status, {
      ...(refusal.reason ? { reason: refusal.reason } : {}),
      ...(refusal.headers ? { headers: [...refusal.headers] } : {}),
    });
  }

  private judge(req: SipRequest, incoming: IncomingMessage, policy: InboundPolicy): Refusal | undefined {
    const i = this.deps.profile - 1;
    const rule = (pair: readonly [number, number], what: string): string => `P${pair[i] as number} ${what}`;
    // P243 turned on since the account started: look the servers up now (IP literals count at once)
    if (policy.onlyFromProxy && !this.deps.trusted.looked) this.deps.lookUpTrusted();
    if (policy.onlyFromProxy && !this.deps.trusted.has(incoming.remote.address)) {
      return { rule: rule(INBOUND_P.onlyFromProxy, 'accept SIP from proxy only'), status: 403, reason: 'Forbidden - Not From Proxy' };
    }
    if (policy.validate) {
      const problem = validateRequest(req);
      if (problem) {
        return { rule: rule(INBOUND_P.validate, 'validate incoming SIP'), status: problem.status, reason: problem.reason, headers: problem.headers, detail: { problem: problem.problem } };
      }
    }
    if (req.method !== 'INVITE' || req.to.params.has('tag')) return undefined;
    const cfg = this.deps.cfg;
    if (policy.checkUserId) {
      const user = requestUser(req) ?? '';
      if (user !== cfg.userId) return { rule: rule(INBOUND_P.checkUserId, 'check SIP user ID'), status: 404, detail: { user } };
    }
    const blocked = blockedCaller(req, policy.blacklist);
    if (blocked !== undefined) return { rule: `P${BLACKLIST_P} incoming blacklist`, status: 603, detail: { caller: blocked } };
    if (policy.authenticateInvite) return this.authenticate(req, rule(INBOUND_P.authenticateInvite, 'authenticate incoming INVITE'));
    return undefined;
  }

  private authenticate(req: SipRequest, rule: string): Refusal | undefined {
    const cfg = this.deps.cfg;
    let verdict = this.digest.check(req, cfg.authId, cfg.password);
    // as P2 for config files (P240): an empty password authenticates nothing
    const noPassword = cfg.password === '';
    if (noPassword && verdict !== 'missing') verdict = 'wrong';
    switch (verdict) {
      case 'ok':
        return undefined;
      case 'wrong':
        return { rule, status: 403, reason: 'Forbidden - Wrong Credentials', detail: { auth: verdict, ...(noPassword ? { why: 'no password set (P34/P734)' } : {}) } };
      default:
        return { rule, status: 401, headers: [['WWW-Authenticate', this.digest.challenge({ stale: verdict === 'stale' })]], detail: { auth: verdict } };
    }
  }
}

/**
 * The Request-URI's user part without %-escapes and without user parameters (`;npdi`, RFC 4694),
 * or a tel: URI's number; undefined when there is none.
 */
function requestUser(req: SipRequest): string | undefined {
  const u = req.uri;
  const raw = u.kind === 'sip' ? u.user : u.kind === 'tel' ? u.number : undefined;
  return raw === undefined ? undefined : unescape(raw.split(';')[0] as string);
}
