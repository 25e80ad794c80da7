/**
 * The REGISTER an account sends (user guide "Register a SIP Account"): its registrar, address,
 * Contact, Route and expiry, plus what its P-values add — Proxy-Require (P197/P792) and, with
 * P2359/P2459, credentials before any challenge (empty nonce and response, the way 3GPP TS 24.229
 * §5.1.1.2.1 starts; the UA core replaces them when the registrar challenges).
 */
import type { NameAddr } from '../sip/syntax/name-addr';
import { encodeUri, type SipUri } from '../sip/syntax/uri';
import type { TransportTarget } from '../sip/transport/transport';
import type { RegisterRequest } from '../sip/ua/register-client';
import type { AccountConfig } from './account-config';

export interface RegisterWhere {
  readonly registrar: SipUri;
  readonly target: TransportTarget;
  readonly contact: NameAddr;
  readonly route: NameAddr[];
  readonly expires: number;
  /** Contact: * (remove every binding, RFC 3261 §10.2.2). */
  readonly removeAll: boolean;
}

export function buildRegisterRequest(cfg: Pick<AccountConfig, 'authId' | 'password' | 'proxyRequire' | 'authOnFirstRegister'>, w: RegisterWhere): RegisterRequest {
  const extraHeaders: Array<[string, string]> = [];
  if (cfg.proxyRequire !== '') extraHeaders.push(['Proxy-Require', cfg.proxyRequire]);
  if (cfg.authOnFirstRegister) {
    extraHeaders.push(['Authorization', `Digest username="${quoteSafe(cfg.authId)}", realm="${quoteSafe(w.registrar.host)}", nonce="", uri="${encodeUri(w.registrar)}", response=""`]);
  }
  return {
    registrar: w.registrar, target: w.target, contact: w.contact, expires: w.expires, route: w.route,
    credentials: { username: cfg.authId, password: cfg.password }, removeAll: w.removeAll, extraHeaders,
  };
}

/** A value inside a quoted-string (RFC 3261 §25.1): backslash and quote escaped. */
function quoteSafe(v: string): string {
  return v.replace(/[\\"]/g, (c) => `\\${c}`);
}
