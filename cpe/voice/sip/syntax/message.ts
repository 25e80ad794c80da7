/** SIP messages as values (RFC 3261 §7). The headers every transaction needs are typed fields. */
import type { HeaderList } from './headers';
import type { NameAddr } from './name-addr';
import type { Uri } from './uri';
import type { Via } from './via';

export interface CSeq {
  seq: number;
  method: string;
}

interface Common {
  /** Topmost first. */
  via: Via[];
  from: NameAddr;
  to: NameAddr;
  callId: string;
  cseq: CSeq;
  maxForwards?: number;
  contact: NameAddr[];
  /** `Contact: *` (REGISTER removing all bindings, §10.2.2). */
  contactStar?: boolean;
  route: NameAddr[];
  recordRoute: NameAddr[];
  /** Everything else. Content-Length is never stored: it is computed from `body` when encoding. */
  headers: HeaderList;
  body: Buffer;
}

export interface SipRequest extends Common {
  type: 'request';
  method: string;
  uri: Uri;
}

export interface SipResponse extends Common {
  type: 'response';
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

/** Methods this stack knows (RFC 3261 and the usual extensions). */
export const KNOWN_METHODS = [
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY',
  'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE',
] as const;
