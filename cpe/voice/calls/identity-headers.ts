/**
 * Privacy (RFC 3323 §4.2) and P-Preferred-Identity (RFC 3325 §9.2) on an outgoing INVITE, as
 * P2338/P2438 "Use Privacy header" and P2339/P2439 "Use P-Preferred-Identity header" say
 * (0 default, 1 no, 2 yes). The anonymous From of a blocked caller ID (*67, *30, P65; the FXO
 * port's P839) is made by the caller of this function; here only the two headers are decided.
 *
 * - default: as the unit always did: an anonymous call carries `Privacy: id` and
 *   `P-Preferred-Identity: <account AOR>` (the proxy still knows who calls), other calls neither.
 * - yes: always. Privacy is `id` on an anonymous call, else `none` (§4.2: no privacy asked);
 *   P-Preferred-Identity is the account AOR on an anonymous call, else the From identity
 *   (display name and URI, which on the FXO port may be the PSTN caller, P839 = From). One the
 *   FXO caller-ID transport already put (P839 = PAI or PPI) is kept, not doubled.
 * - no: never, anonymous calls included (their From stays anonymous); a PPI that P839 = PPI
 *   would carry is dropped too, so that caller ID then goes nowhere.
 */
import { num, type ParamReader } from '../fxs/fxs-settings';
import type { SipRequest } from '../sip/syntax/message';
import { encodeNameAddr } from '../sip/syntax/name-addr';
import { Params } from '../sip/syntax/params';
import { encodeUri, type SipUri } from '../sip/syntax/uri';

export type HeaderChoice = 'default' | 'no' | 'yes';

export interface IdentityHeaderSettings {
  readonly privacy: HeaderChoice;
  readonly ppi: HeaderChoice;
}

export const DEFAULT_IDENTITY_HEADERS: IdentityHeaderSettings = { privacy: 'default', ppi: 'default' };

/** [FXS, FXO] P-numbers. */
export const IDENTITY_P = { privacy: [2338, 2438], ppi: [2339, 2439] } as const;

function choice(v: number): HeaderChoice {
  return v === 1 ? 'no' : v === 2 ? 'yes' : 'default';
}

export function readIdentityHeaders(p: ParamReader, profile: 1 | 2): IdentityHeaderSettings {
  const i = profile - 1;
  return { privacy: choice(num(p, IDENTITY_P.privacy[i] as number, 0)), ppi: choice(num(p, IDENTITY_P.ppi[i] as number, 0)) };
}

/** Adds (or removes) Privacy and P-Preferred-Identity on a new INVITE. */
export function applyIdentityHeaders(req: SipRequest, opts: { anonymous: boolean; aor: SipUri; settings: IdentityHeaderSettings }): void {
  const { anonymous, settings } = opts;
  if (settings.privacy !== 'no') {
    if (anonymous) req.headers.add('Privacy', 'id');
    else if (settings.privacy === 'yes') req.headers.add('Privacy', 'none');
  }
  if (settings.ppi === 'no') {
    req.headers.remove('P-Preferred-Identity');
    return;
  }
  if (req.headers.has('P-Preferred-Identity') || req.headers.has('P-Asserted-Identity')) return;
  if (anonymous) req.headers.add('P-Preferred-Identity', `<${encodeUri(opts.aor)}>`);
  else if (settings.ppi === 'yes') {
    const from = req.from;
    req.headers.add('P-Preferred-Identity', encodeNameAddr({ ...(from.displayName ? { displayName: from.displayName } : {}), uri: from.uri, params: new Params() }));
  }
}
