/**
 * The REGISTER usage (RFC 3261 §10.2): one binding of one AOR, with a stable Call-ID and an
 * increasing CSeq across refreshes (§10.2.4), digest authentication through the UA core, and the
 * granted expiry read from our Contact in the 200 (or its Expires header). Policy (when to
 * refresh, retry, fail over) belongs to the account, not here.
 */
import type { Credentials } from '../auth/digest-client';
import type { SipResponse } from '../syntax/message';
import type { NameAddr } from '../syntax/name-addr';
import { Params } from '../syntax/params';
import { encodeUri, type Uri } from '../syntax/uri';
import type { TransportTarget } from '../transport/transport';
import type { UserAgentCore } from './user-agent-core';

export type RegisterOutcome =
  | { kind: 'registered'; expires: number; response: SipResponse }
  | { kind: 'unregistered'; response: SipResponse }
  | { kind: 'rejected'; status: number; reason: string; response: SipResponse }
  | { kind: 'timeout' }
  | { kind: 'transport-error'; message: string };

export interface RegisterRequest {
  registrar: Uri;
  target: TransportTarget;
  contact: NameAddr;
  expires: number;
  credentials?: Credentials;
  /** Route header values (outbound proxy with ;lr, RFC 3261 §8.1.2). */
  route?: NameAddr[];
  /** Remove every binding of the AOR (Contact: *, §10.2.2). */
  removeAll?: boolean;
  extraHeaders?: Array<[string, string]>;
}

export class RegisterClient {
  readonly callId: string;
  readonly fromTag: string;
  private cseq = 0;

  constructor(private readonly core: UserAgentCore) {
    this.callId = core.newCallId();
    this.fromTag = core.newTag();
  }

  send(r: RegisterRequest): Promise<RegisterOutcome> {
    const req = this.core.createRequest('REGISTER', r.registrar, {
      to: { uri: this.core.aor(), params: new Params() },
      callId: this.callId, fromTag: this.fromTag, cseq: ++this.cseq, contact: false, route: r.route,
    });
    if (r.removeAll) req.contactStar = true;
    else req.contact = [r.contact];
    req.headers.add('Expires', String(r.expires));
    req.headers.add('Allow', this.core.allowHeader());
    for (const [n, v] of r.extraHeaders ?? []) req.headers.add(n, v);
    return new Promise((resolve) => {
      const out = this.core.request(req, r.target, {
        onFinal: (res) => {
          // keep our CSeq above whatever the auth retries used (§10.2.4)
          this.cseq = Math.max(this.cseq, out.request.cseq.seq);
          if (res.status >= 200 && res.status < 300) {
            if (r.expires === 0) resolve({ kind: 'unregistered', response: res });
            else resolve({ kind: 'registered', expires: grantedExpiry(res, r.contact, r.expires), response: res });
          } else resolve({ kind: 'rejected', status: res.status, reason: res.reason, response: res });
        },
        onTimeout: () => resolve({ kind: 'timeout' }),
        onTransportError: (err) => resolve({ kind: 'transport-error', message: err.message }),
      }, r.credentials ? { credentials: r.credentials } : {});
    });
  }
}

/** §10.2.4: the expiry of our binding: its Contact expires param, else Expires, else what we asked. */
export function grantedExpiry(res: SipResponse, ours: NameAddr, asked: number): number {
  const mine = encodeUri(ours.uri);
  for (const c of res.contact) {
    if (sameContact(encodeUri(c.uri), mine)) {
      const e = c.params.get('expires');
      if (typeof e === 'string' && /^\d+$/.test(e)) return Number(e);
    }
  }
  const h = res.headers.get('Expires');
  if (h !== undefined && /^\d+$/.test(h)) return Number(h);
  return asked;
}

function sameContact(a: string, b: string): boolean {
  const strip = (s: string): string => s.toLowerCase().replace(/;.*$/, '');
  return strip(a) === strip(b);
}
