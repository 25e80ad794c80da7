/**
 * P28127 "Incoming blacklist": up to 10 caller numbers, comma-separated (reference §1.2; the
 * catalogue refuses an 11th). An incoming call is blocked when the user part of its From or of
 * any P-Asserted-Identity (RFC 3325 §9.1: the identity a trusted network asserts, so a caller
 * cannot slip past by changing From behind a proxy that asserts it) equals an entry. Numbers are
 * compared without RFC 3966 visual separators (- . ( ) and spaces); nothing else is rewritten, so
 * "+15551234" and "15551234" are different entries.
 */
import type { SipRequest } from '../sip/syntax/message';
import { decodeNameAddr } from '../sip/syntax/name-addr';
import type { Uri } from '../sip/syntax/uri';

export const MAX_BLACKLIST = 10;

/** RFC 3966 §5.1.1 visual separators, and the spaces a user may type. */
const VISUAL = /[-.()\s]/g;

export function normaliseNumber(n: string): string {
  return n.replace(VISUAL, '').toLowerCase();
}

/** The stored value as a list of numbers: trimmed, empty items skipped, at most MAX_BLACKLIST. */
export function parseBlacklist(value: string): string[] {
  return value
    .split(',')
    .map(normaliseNumber)
    .filter((n) => n !== '')
    .slice(0, MAX_BLACKLIST);
}

function userOf(uri: Uri): string | undefined {
  const raw = uri.kind === 'sip' ? uri.user : uri.kind === 'tel' ? uri.number : undefined;
  if (raw === undefined) return undefined;
  try {
    return normaliseNumber(decodeURIComponent(raw));
  } catch {
    return normaliseNumber(raw);
  }
}

/** The caller numbers of a request: the From user, then each P-Asserted-Identity user. */
export function callerNumbers(req: SipRequest): string[] {
  const out: string[] = [];
  const from = userOf(req.from.uri);
  if (from) out.push(from);
  for (const v of req.headers.getAll('P-Asserted-Identity')) {
    try {
      const user = userOf(decodeNameAddr(v).uri);
      if (user) out.push(user);
    } catch {
      // a malformed P-Asserted-Identity asserts nothing
    }
  }
  return out;
}

/** The blacklisted number this request calls from, if any. */
export function blockedCaller(req: SipRequest, blacklist: readonly string[]): string | undefined {
  if (blacklist.length === 0) return undefined;
  return callerNumbers(req).find((n) => blacklist.includes(n));
}
