/** Builds a response to a request (RFC 3261 §8.2.6.2): Via, From, To, Call-ID, CSeq copied; To tag added. */
import { HeaderList } from '../syntax/headers';
import type { SipRequest, SipResponse } from '../syntax/message';
import { cloneNameAddr } from '../syntax/name-addr';

export const REASONS: Record<number, string> = {
  100: 'Trying', 180: 'Ringing', 181: 'Call Is Being Forwarded', 182: 'Queued', 183: 'Session Progress',
  200: 'OK', 202: 'Accepted', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 407: 'Proxy Authentication Required', 408: 'Request Timeout', 415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme', 420: 'Bad Extension', 423: 'Interval Too Brief', 480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist', 482: 'Loop Detected', 483: 'Too Many Hops', 486: 'Busy Here',
  487: 'Request Terminated', 488: 'Not Acceptable Here', 489: 'Bad Event', 491: 'Request Pending', 500: 'Server Internal Error',
  501: 'Not Implemented', 503: 'Service Unavailable', 505: 'Version Not Supported', 603: 'Decline',
};

export function makeResponse(req: SipRequest, status: number, opts: { reason?: string; toTag?: string; headers?: Array<[string, string]>; body?: Buffer } = {}): SipResponse {
  const to = cloneNameAddr(req.to);
  // §8.2.6.2: a To tag on every response except 100, when the request had none
  if (status !== 100 && opts.toTag !== undefined && !to.params.has('tag')) to.params.set('tag', opts.toTag);
  const headers = new HeaderList();
  for (const [n, v] of opts.headers ?? []) headers.add(n, v);
  // §8.2.6.1: Timestamp is echoed in 100 Trying
  const ts = req.headers.get('Timestamp');
  if (status === 100 && ts !== undefined) headers.add('Timestamp', ts);
  return {
    type: 'response', status, reason: opts.reason ?? REASONS[status] ?? 'Unknown',
    via: req.via.map((v) => ({ ...v, params: v.params.clone() })),
    from: req.from, to, callId: req.callId, cseq: { ...req.cseq },
    contact: [], route: [], recordRoute: status < 300 && status > 100 ? req.recordRoute : [],
    headers, body: opts.body ?? Buffer.alloc(0),
  };
}
