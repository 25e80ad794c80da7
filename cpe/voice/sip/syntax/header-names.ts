/** Header names: compact forms (RFC 3261 §7.3.3 and extensions) and canonical spellings. */

const COMPACT: Record<string, string> = {
  i: 'Call-ID', m: 'Contact', e: 'Content-Encoding', l: 'Content-Length', c: 'Content-Type',
  f: 'From', s: 'Subject', k: 'Supported', t: 'To', v: 'Via', o: 'Event', r: 'Refer-To',
  b: 'Referred-By', u: 'Allow-Events', x: 'Session-Expires', a: 'Accept-Contact',
  j: 'Reject-Contact', d: 'Request-Disposition', y: 'Identity', n: 'Identity-Info',
};

const KNOWN = [
  'Accept', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Allow-Events',
  'Authentication-Info', 'Authorization', 'Call-ID', 'Call-Info', 'Contact', 'Content-Disposition',
  'Content-Encoding', 'Content-Language', 'Content-Length', 'Content-Type', 'CSeq', 'Date',
  'Error-Info', 'Event', 'Expires', 'From', 'In-Reply-To', 'Max-Forwards', 'Min-Expires', 'Min-SE',
  'MIME-Version', 'Organization', 'Path', 'P-Asserted-Identity', 'P-Preferred-Identity', 'Priority',
  'Privacy', 'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require', 'RAck', 'Reason',
  'Record-Route', 'Refer-To', 'Referred-By', 'Replaces', 'Reply-To', 'Require', 'Retry-After',
  'Route', 'RSeq', 'Server', 'Service-Route', 'Session-Expires', 'SIP-ETag', 'SIP-If-Match',
  'Subject', 'Subscription-State', 'Supported', 'Timestamp', 'To', 'Unsupported', 'User-Agent',
  'Via', 'Warning', 'WWW-Authenticate', 'Sip.instance', 'Flow-Timer',
];
const CANONICAL = new Map<string, string>(KNOWN.map((n) => [n.toLowerCase(), n]));
/**
 * Names already spelled canonically (most received ones): no lower-casing, and the name handed
 * back is the table's own (internalized) string, which later lookups and compares take by identity.
 */
const EXACT = new Map<string, string>(KNOWN.map((n) => [n, n]));

/** Headers whose values are comma-separated lists (RFC 3261 §7.3.1); split into one entry per value. */
export const LIST_HEADERS = new Set([
  'Accept', 'Accept-Encoding', 'Accept-Language', 'Allow', 'Allow-Events', 'Contact', 'Path',
  'Proxy-Require', 'Record-Route', 'Require', 'Route', 'Service-Route', 'Supported', 'Unsupported',
  'Via', 'Content-Encoding', 'Content-Language', 'In-Reply-To', 'Privacy', 'P-Asserted-Identity',
]);

/** Canonical spelling of a header name (compact forms expanded); unknown names as received. */
export function canonicalName(name: string): string {
  const exact = EXACT.get(name);
  if (exact !== undefined) return exact;
  if (name.length === 1) {
    const c = COMPACT[name.toLowerCase()];
    if (c) return c;
  }
  return CANONICAL.get(name.toLowerCase()) ?? name;
}
