/**
 * The 400 answer to a request we cannot parse (RFC 3261 §21.4.1: the reason phrase names the
 * problem, e.g. "Missing Call-ID header field"), or 505 to one in another SIP version. Built from the raw header lines, since the
 * message did not decode: Via, From, To, Call-ID and CSeq are copied as received (§8.2.6.2) and
 * a To tag is added. No answer when the start line is a response's, the method is ACK (§17.2.1:
 * ACK gets none), or one of those five headers is missing or itself broken: the answer would be
 * malformed too. Pure: the caller sends the bytes.
 */
import { createHash } from 'node:crypto';
import { decodeMessage } from './decode-message';
import { canonicalName } from './header-names';

const ECHOED = ['Via', 'From', 'To', 'Call-ID', 'CSeq'] as const;
/** Longest reason phrase we write (the decode error, trimmed). */
const MAX_REASON = 120;

export function badRequestResponse(bytes: Buffer, problem: string): Buffer | undefined {
  const text = bytes.toString('latin1');
  let start = 0;
  while (start < text.length && (text[start] === '\r' || text[start] === '\n')) start++;
  const headEnd = headerEnd(text, start);
  const lines = text.slice(start, headEnd).split(/\r?\n/);
  const startLine = lines[0] ?? '';
  if (/^SIP\//i.test(startLine)) return undefined;
  const method = /^([A-Za-z]+) /.exec(startLine)?.[1];
  if (method === undefined || method.toUpperCase() === 'ACK') return undefined;

  // unfold (§7.3.1) and keep the five headers, in order, as received
  const kept: Array<[string, string]> = [];
  let last: [string, string] | undefined;
  for (const line of lines.slice(1)) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      last[1] += ' ' + line.trim();
      continue;
    }
    last = undefined;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = canonicalName(line.slice(0, colon).trim());
    if (!(ECHOED as readonly string[]).includes(name)) continue;
    // one From, To, Call-ID, CSeq in the answer even when the request repeated one (RFC 4475 multi01)
    if (name !== 'Via' && kept.some(([n]) => n === name)) continue;
    last = [name, line.slice(colon + 1).trim()];
    kept.push(last);
  }
  for (const h of ECHOED) if (!kept.some(([n]) => n === h)) return undefined;
  const cseq = kept.find(([n]) => n === 'CSeq')?.[1] ?? '';
  const callId = kept.find(([n]) => n === 'Call-ID')?.[1] ?? '';
  // §8.2.6.2: a To tag; derived from the request so a retransmission gets the same answer
  const tag = createHash('sha1').update(`${callId}\n${cseq}`).digest('hex').slice(0, 10);

  // §21.5.7 (RFC 4475 §3.1.2.4 badvers): a version we do not speak is 505, not 400
  const status = problem === 'unsupported SIP version' ? '505 Version Not Supported' : `400 ${reasonPhrase(problem)}`;
  let out = `SIP/2.0 ${status}\r\n`;
  for (const [name, value] of kept) {
    const v = name === 'To' && !/;\s*tag\s*=/i.test(value) ? `${value};tag=${tag}` : value;
    out += `${name}: ${v}\r\n`;
  }
  out += 'Content-Length: 0\r\n\r\n';
  const answer = Buffer.from(out, 'latin1');
  // the broken part may be one of the copied headers: never send a response that is malformed itself
  try {
    decodeMessage(answer);
  } catch {
    return undefined;
  }
  return answer;
}

/** "Bad Request - <problem>", printable ASCII only (Reason-Phrase, §25.1). */
export function reasonPhrase(problem: string): string {
  const clean = problem.replace(/[^\x20-\x7e]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_REASON);
  return clean === '' ? 'Bad Request' : `Bad Request - ${clean}`;
}

function headerEnd(text: string, from: number): number {
  const crlf = text.indexOf('\r\n\r\n', from);
  const lf = text.indexOf('\n\n', from);
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf;
  if (lf >= 0) return lf;
  return text.length;
}
