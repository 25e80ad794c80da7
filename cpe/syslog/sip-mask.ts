/**
 * What a SIP message must not carry into syslog (P1387). Masked:
 * - `response` of Authorization / Proxy-Authorization and `rspauth` of Authentication-Info
 *   (RFC 3261 §22.4, RFC 7616 §3.4, §3.5): digests of the password, open to an offline
 *   dictionary attack by whoever reads the log;
 * - the keys of SDP `a=crypto` (RFC 4568 §6.1 `inline:key||salt`) and `a=key-mgmt` (RFC 4567):
 *   they would decrypt the call's SRTP.
 * Kept: username, realm, nonce, uri, qop, nc, cnonce (what an operator debugs a 401 loop with).
 * Text in, text out: the message need not parse (a malformed one is traced too).
 */
import { MASK } from '../params/store';

const DIGEST_PROOF = /\b(response|rspauth)(\s*=\s*)("[^"\r\n]*"|[^\s,;"]+)/gi;
const SDES_INLINE = /(\binline:)[^\s|;]+/gi;
const KEY_MGMT = /^(a=key-mgmt:\s*\S+\s+)\S+/gim;

export function maskSipText(text: string): string {
  // the whole text, not the head and body apart: a message with bare LFs is traced too
  return text
    .replace(DIGEST_PROOF, (_m, name: string, eq: string, v: string) => `${name}${eq}${v.startsWith('"') ? `"${MASK}"` : MASK}`)
    .replace(SDES_INLINE, `$1${MASK}`)
    .replace(KEY_MGMT, `$1${MASK}`);
}
