/** encodeMessage: SipMessage → bytes (RFC 3261 §7). Content-Length is always computed from the body. */
import type { SipMessage } from './message';
import { encodeNameAddr } from './name-addr';
import { encodeUri } from './uri';
import { encodeVia } from './via';

export function encodeHead(m: SipMessage): string {
  let s = m.type === 'request' ? `${m.method} ${encodeUri(m.uri)} SIP/2.0\r\n` : `SIP/2.0 ${m.status} ${m.reason}\r\n`;
  for (const v of m.via) s += `Via: ${encodeVia(v)}\r\n`;
  if (m.maxForwards !== undefined) s += `Max-Forwards: ${m.maxForwards}\r\n`;
  for (const r of m.route) s += `Route: ${encodeNameAddr(r)}\r\n`;
  for (const r of m.recordRoute) s += `Record-Route: ${encodeNameAddr(r)}\r\n`;
  s += `From: ${encodeNameAddr(m.from)}\r\n`;
  s += `To: ${encodeNameAddr(m.to)}\r\n`;
  s += `Call-ID: ${m.callId}\r\n`;
  s += `CSeq: ${m.cseq.seq} ${m.cseq.method}\r\n`;
  if (m.contactStar) s += 'Contact: *\r\n';
  for (const c of m.contact) s += `Contact: ${encodeNameAddr(c)}\r\n`;
  for (const f of m.headers.fields) s += `${f.name}: ${f.value}\r\n`;
  s += `Content-Length: ${m.body.length}\r\n\r\n`;
  return s;
}

export function encodeMessage(m: SipMessage): Buffer {
  const head = encodeHead(m);
  if (m.body.length === 0) return Buffer.from(head, 'utf8');
  return Buffer.concat([Buffer.from(head, 'utf8'), m.body]);
}
