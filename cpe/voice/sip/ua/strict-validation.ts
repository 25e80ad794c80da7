/**
 * Strict checks of an incoming request (P4340/P4341 "Validate incoming SIP messages"), beyond
 * what the decoder already refuses with 400 for every request: a missing Via, From, To, Call-ID
 * or CSeq (RFC 3261 §8.1.1), a CSeq method unlike the request's (§8.1.1.5), a CSeq number of
 * 2**31 or more, a repeated single-value header (§7.3.1), a Content-Length beyond the datagram
 * (§18.3). Here, the rest of what RFC 3261 says a request MUST carry (§8.1.1, §20 and the
 * extension RFCs), and the content a UAS cannot process (§8.2.3). Pure: a problem or undefined.
 */
import type { SipRequest } from '../syntax/message';
import { BRANCH_COOKIE } from '../syntax/via';
import { reasonPhrase } from '../syntax/bad-request';

export interface ValidationProblem {
  readonly status: 400 | 415;
  /** What is wrong, e.g. "Missing Max-Forwards header field" (the 400's reason phrase names it, §21.4.1). */
  readonly problem: string;
  readonly reason: string;
  readonly headers: ReadonlyArray<[string, string]>;
}

/** Headers a method MUST carry, beyond the six of §8.1.1. */
const METHOD_HEADERS: Readonly<Record<string, readonly string[]>> = {
  // RFC 6665 §8.2.1 (§7.2: SUBSCRIBE and NOTIFY carry exactly one Event)
  SUBSCRIBE: ['Event'],
  NOTIFY: ['Event'],
  // RFC 3515 §2.4.1: exactly one Refer-To
  REFER: ['Refer-To'],
  // RFC 3262 §7.2
  PRACK: ['RAck'],
};

/** Session descriptions we understand in an INVITE (§8.2.3 → 415 with Accept). */
const INVITE_BODY_TYPES = ['application/sdp'];

function bad(problem: string): ValidationProblem {
  return { status: 400, problem, reason: reasonPhrase(problem), headers: [] };
}

export function validateRequest(req: SipRequest): ValidationProblem | undefined {
  // §8.1.1.6: Max-Forwards MUST be present
  if (req.maxForwards === undefined) return bad('Missing Max-Forwards header field');
  // §8.1.1.3: the From MUST carry a tag
  const fromTag = req.from.params.get('tag');
  if (typeof fromTag !== 'string' || fromTag === '') return bad('Missing From tag');
  // §8.1.1.7: the top Via MUST carry a branch starting with the magic cookie
  const branch = req.via[0]?.params.get('branch');
  if (typeof branch !== 'string' || branch === '') return bad('Missing Via branch');
  if (!branch.startsWith(BRANCH_COOKIE) || branch.length === BRANCH_COOKIE.length) return bad('Via branch without the z9hG4bK magic cookie');
  // §20.15: a body MUST come with its Content-Type
  const type = req.headers.get('Content-Type');
  if (req.body.length > 0 && type === undefined) return bad('Missing Content-Type for the message body');
  for (const name of METHOD_HEADERS[req.method] ?? []) {
    const n = req.headers.getAll(name).length;
    if (n === 0) return bad(`Missing ${name} header field`);
    if (n > 1) return bad(`More than one ${name} header field`);
  }
  if (req.method === 'INVITE') return inviteProblem(req, type);
  return undefined;
}

function inviteProblem(req: SipRequest, type: string | undefined): ValidationProblem | undefined {
  // §8.1.1.8: an INVITE MUST carry exactly one Contact, a SIP or SIPS URI
  if (req.contactStar || req.contact.length !== 1) return bad('INVITE needs exactly one Contact');
  const kind = req.contact[0]?.uri.kind;
  if (kind !== 'sip') return bad('Contact of an INVITE is not a SIP or SIPS URI');
  if (req.body.length === 0) return undefined;
  // §8.2.3: a body we cannot process → 415 naming what we accept
  const media = (type ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!INVITE_BODY_TYPES.includes(media)) {
    return { status: 415, problem: `Content-Type ${media} not supported`, reason: 'Unsupported Media Type', headers: [['Accept', INVITE_BODY_TYPES.join(', ')]] };
  }
  const encodings = req.headers.getAll('Content-Encoding').map((e) => e.trim().toLowerCase()).filter((e) => e !== 'identity');
  if (encodings.length > 0) {
    return { status: 415, problem: `Content-Encoding ${encodings.join(', ')} not supported`, reason: 'Unsupported Media Type', headers: [['Accept-Encoding', 'identity']] };
  }
  return undefined;
}
