/**
 * decodeMessage: bytes of one SIP message → SipMessage (RFC 3261 §7, RFC 4475). Throws DecodeError
 * and nothing else. For datagrams (RFC 3261 §18.3) octets after Content-Length are dropped and a
 * Content-Length larger than what arrived is an error; streams are framed first (stream-framer.ts).
 */
import { DecodeError } from '../../../shared/errors';
import { Cursor, isToken, isWsp, parseDecimal, splitCommas } from './cursor';
import { HeaderList, type HeaderField } from './headers';
import { canonicalName, LIST_HEADERS } from './header-names';
import type { SipMessage } from './message';
import { decodeNameAddr, type NameAddr } from './name-addr';
import { parseGenericParams } from './params';
import { decodeUri, type Uri } from './uri';
import { decodeVia, type Via } from './via';

/** Header section limit: protects the parser from hostile input. */
export const MAX_HEADER_BYTES = 64 * 1024;

const MAX_CSEQ = 2 ** 31 - 1; // RFC 3261 §8.1.1.5: less than 2**31
const DATE_RE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$/;
/** Headers that may appear once, each with its bit in a per-message mask. */
const SINGLE = new Map(['From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length', 'Content-Type'].map((n, i) => [n, 1 << i]));

/** Where the header section ends: index of the blank line and the index where the body starts. */
export function findHeaderEnd(buf: Buffer, from = 0): { end: number; bodyStart: number } | undefined {
  // the first CRLFCRLF or LFLF, whichever comes first, visiting the line ends only
  for (let i = buf.indexOf(10, from); i >= 0; i = buf.indexOf(10, i + 1)) {
    const next = buf[i + 1];
    if (next === 10) return { end: i, bodyStart: i + 2 };
    if (next === 13 && buf[i + 2] === 10 && i > from && buf[i - 1] === 13) return { end: i - 1, bodyStart: i + 3 };
  }
  return undefined;
}

/** The lines of the header section, split at LF with a CR before it dropped (what /\r?\n/ splits, without the regex). */
function splitLines(s: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const nl = s.indexOf('\n', from);
    if (nl < 0) {
      out.push(s.slice(from));
      return out;
    }
    out.push(s.slice(from, nl > from && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
    from = nl + 1;
  }
}

export function decodeMessage(input: Buffer | string): SipMessage {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  let start = 0;
  // RFC 3261 §7.5: CRLFs before the start line are ignored.
  while (start < buf.length && (buf[start] === 13 || buf[start] === 10)) start++;
  if (start >= buf.length) throw new DecodeError('empty message', 0);
  let he = findHeaderEnd(buf, start);
  if (!he) {
    // tolerate a datagram whose header section ends without the blank line
    if (buf[buf.length - 1] === 10) he = { end: buf.length, bodyStart: buf.length };
    else throw new DecodeError('no end of headers', buf.length);
  }
  if (he.end - start > MAX_HEADER_BYTES) throw new DecodeError('header section too large', start);
  const head = buf.toString('utf8', start, he.end);
  const lines = splitLines(head);
  const startLine = lines[0] ?? '';

  // unfold (§7.3.1): a line starting with SP/HT continues the previous one
  const raw: Array<{ name: string; value: string; pos: number }> = [];
  let pos = start + startLine.length;
  for (let li = 1; li < lines.length; li++) {
    const line = lines[li] as string;
    const lpos = pos;
    pos += line.length + 1;
    if (line.length === 0) throw new DecodeError('empty line in headers', lpos);
    const c0 = line.charCodeAt(0);
    if (c0 === 32 || c0 === 9) {
      const prev = raw[raw.length - 1];
      if (!prev) throw new DecodeError('continuation line before any header', lpos);
      prev.value += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new DecodeError('header line without colon', lpos);
    let nameEnd = colon;
    while (nameEnd > 0 && isWsp(line.charCodeAt(nameEnd - 1))) nameEnd--;
    const name = line.slice(0, nameEnd);
    if (!isToken(name)) throw new DecodeError('bad header name', lpos);
    raw.push({ name: canonicalName(name), value: line.slice(colon + 1).trim(), pos: lpos });
  }

  const via: Via[] = [];
  const contact: NameAddr[] = [];
  const route: NameAddr[] = [];
  const recordRoute: NameAddr[] = [];
  const fields: HeaderField[] = [];
  let seen = 0;
  let from: NameAddr | undefined;
  let to: NameAddr | undefined;
  let callId: string | undefined;
  let cseq: { seq: number; method: string } | undefined;
  let maxForwards: number | undefined;
  let contentLength: number | undefined;
  let contactStar = false;

  for (const h of raw) {
    const single = SINGLE.get(h.name);
    if (single !== undefined) {
      if ((seen & single) !== 0) throw new DecodeError(`more than one ${h.name}`, h.pos);
      seen |= single;
    }
    switch (h.name) {
      case 'Via':
        for (const v of splitCommas(h.value, h.pos)) {
          if (v === '') throw new DecodeError('empty Via value', h.pos);
          via.push(decodeVia(v, h.pos));
        }
        break;
      case 'From':
        from = decodeNameAddr(h.value, h.pos);
        break;
      case 'To':
        to = decodeNameAddr(h.value, h.pos);
        break;
      case 'Call-ID':
        // callid = word [ "@" word ] (§25.1)
        if (!/^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+(@[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+)?$/.test(h.value)) {
          throw new DecodeError('bad Call-ID', h.pos);
        }
        callId = h.value;
        break;
      case 'CSeq': {
        const m = /^([0-9]+)[ \t]+(\S+)$/.exec(h.value);
        if (!m || !isToken(m[2] as string)) throw new DecodeError('bad CSeq', h.pos);
        cseq = { seq: parseDecimal(m[1] as string, MAX_CSEQ, 'CSeq number', h.pos), method: m[2] as string };
        break;
      }
      case 'Max-Forwards':
        maxForwards = parseDecimal(h.value, 255, 'Max-Forwards', h.pos);
        break;
      case 'Content-Length':
        contentLength = parseDecimal(h.value, 2 ** 31 - 1, 'Content-Length', h.pos);
        break;
      case 'Contact':
        if (h.value.trim() === '*') {
          contactStar = true;
          break;
        }
        for (const v of splitCommas(h.value, h.pos)) {
          if (v === '') throw new DecodeError('empty Contact value', h.pos);
          const na = decodeNameAddr(v, h.pos);
          const exp = na.params.get('expires');
          if (typeof exp === 'string') parseDecimal(exp, 2 ** 32 - 1, 'Contact expires', h.pos);
          contact.push(na);
        }
        break;
      case 'Route':
      case 'Record-Route':
        for (const v of splitCommas(h.value, h.pos)) {
          (h.name === 'Route' ? route : recordRoute).push(decodeNameAddr(v, h.pos, { nameAddrOnly: true }));
        }
        break;
      default:
        checkOther(h.name, h.value, h.pos);
        if (LIST_HEADERS.has(h.name)) {
          for (const v of splitCommas(h.value, h.pos)) if (v !== '') fields.push({ name: h.name, value: v });
        } else fields.push({ name: h.name, value: h.value });
    }
  }

  if (via.length === 0) throw new DecodeError('missing Via', start);
  if (!from) throw new DecodeError('missing From', start);
  if (!to) throw new DecodeError('missing To', start);
  if (callId === undefined) throw new DecodeError('missing Call-ID', start);
  if (!cseq) throw new DecodeError('missing CSeq', start);

  // body (§18.3: datagram framing by Content-Length)
  const available = buf.length - he.bodyStart;
  let body: Buffer;
  if (contentLength !== undefined) {
    if (contentLength > Math.max(0, available)) throw new DecodeError('Content-Length larger than the message', buf.length);
    body = buf.subarray(he.bodyStart, he.bodyStart + contentLength);
  } else body = available > 0 ? buf.subarray(he.bodyStart) : Buffer.alloc(0);

  // one object literal per kind, every field present: all decoded messages share two shapes
  const headers = new HeaderList(fields);
  const sl = decodeStartLine(startLine, start, cseq.method);
  if (sl.uri === undefined) {
    return { type: 'response', status: sl.status, reason: sl.reason, via, from, to, callId, cseq, maxForwards, contact, contactStar, route, recordRoute, headers, body };
  }
  return { type: 'request', method: sl.method, uri: sl.uri, via, from, to, callId, cseq, maxForwards, contact, contactStar, route, recordRoute, headers, body };
}

interface StartLine {
  status: number;
  reason: string;
  method: string;
  /** Set for a request only. */
  uri: Uri | undefined;
}

function decodeStartLine(line: string, pos: number, cseqMethod: string): StartLine {
  if (line.startsWith('SIP/') || /^SIP\//i.test(line)) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
    const m = /^SIP\/2\.0 ([1-6][0-9]{2})(?: (.*))?$/i.exec(line);
    if (!m) throw new DecodeError('bad status line', pos);
    const reason = m[2] ?? '';
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(reason)) throw new DecodeError('control character in reason phrase', pos);
    return { status: Number(m[1]), reason, method: '', uri: undefined };
  }
  // Request-Line = Method SP Request-URI SP SIP-Version CRLF (single spaces, §7.1)
  const parts = line.split(' ');
  if (parts.length !== 3) throw new DecodeError('bad request line', pos);
  const [method, uriStr, version] = parts as [string, string, string];
  if (!isToken(method)) throw new DecodeError('bad method', pos);
  if (!/^SIP\/2\.0$/i.test(version)) throw new DecodeError('unsupported SIP version', pos + method.length + uriStr.length + 2);
  const uri = decodeUri(uriStr, pos + method.length + 1);
  // §19.1.1: headers are not allowed in a Request-URI
  if (uri.kind === 'sip' && uri.headers.length > 0) throw new DecodeError('headers in Request-URI', pos + method.length + 1);
  if (cseqMethod !== method) throw new DecodeError('CSeq method does not match the request method', pos);
  return { status: 0, reason: '', method, uri };
}

/** Syntax checks of other headers whose shape matters to us (RFC 4475 §3.1.2.12 Date, Content-Type, Expires). */
function checkOther(name: string, value: string, pos: number): void {
  switch (name) {
    case 'Date':
      if (!DATE_RE.test(value)) throw new DecodeError('bad Date', pos);
      break;
    case 'Content-Type': {
      const c = new Cursor(value, pos);
      c.token('media type');
      c.expect('/', '/');
      c.token('media subtype');
      parseGenericParams(c);
      c.end('Content-Type');
      break;
    }
    case 'Expires':
    case 'Min-Expires':
      parseDecimal(value, Number.MAX_SAFE_INTEGER, name, pos);
      break;
    default:
  }
}
