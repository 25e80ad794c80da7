/**
 * A dialog (RFC 3261 §12): its id, sequence numbers, local/remote URIs, remote target and route
 * set. Built from the UAC's 2xx/1xx-with-tag (§12.1.2) or the UAS's request (§12.1.1); creates
 * in-dialog requests with loose or strict routing (§12.2.1.1); checks in-dialog requests (§12.2.2).
 */
import { HeaderList } from '../syntax/headers';
import type { SipRequest, SipResponse } from '../syntax/message';
import { cloneNameAddr, type NameAddr } from '../syntax/name-addr';
import { cloneUri, type Uri } from '../syntax/uri';

export interface DialogId {
  callId: string;
  localTag: string;
  remoteTag: string;
}

export type DialogState = 'early' | 'confirmed' | 'terminated';

export class Dialog {
  state: DialogState;
  localSeq: number;
  remoteSeq: number | undefined;

  private constructor(
    readonly id: DialogId,
    readonly localUri: NameAddr,
    readonly remoteUri: NameAddr,
    public remoteTarget: Uri,
    /** In the order requests traverse it (first = next hop). */
    public routeSet: NameAddr[],
    readonly secure: boolean,
    localSeq: number,
    remoteSeq: number | undefined,
    state: DialogState,
  ) {
    this.localSeq = localSeq;
    this.remoteSeq = remoteSeq;
    this.state = state;
  }

  /** §12.1.2: UAC side, from the request we sent and a 101-299 response with a To tag. */
  static fromUacResponse(req: SipRequest, res: SipResponse): Dialog {
    const remoteTag = res.to.params.get('tag');
    const localTag = req.from.params.get('tag');
    if (typeof remoteTag !== 'string' || typeof localTag !== 'string') throw new Error('dialog needs both tags');
    const target = res.contact[0]?.uri ?? req.uri;
    const secure = req.uri.kind === 'sip' && req.uri.scheme === 'sips';
    return new Dialog(
      { callId: req.callId, localTag, remoteTag }, cloneNameAddr(req.from), cloneNameAddr(res.to), cloneUri(target),
      [...res.recordRoute].reverse().map(cloneNameAddr), secure, req.cseq.seq, undefined,
      res.status < 200 ? 'early' : 'confirmed',
    );
  }

  /** §12.1.1: UAS side, from the dialog-creating request and the To tag we chose. */
  static fromUasRequest(req: SipRequest, localTag: string, localSeq = 0): Dialog {
    const remoteTag = req.from.params.get('tag');
    const to = cloneNameAddr(req.to);
    to.params.set('tag', localTag);
    const target = req.contact[0]?.uri ?? req.from.uri;
    const secure = req.uri.kind === 'sip' && req.uri.scheme === 'sips';
    return new Dialog(
      { callId: req.callId, localTag, remoteTag: typeof remoteTag === 'string' ? remoteTag : '' }, to, cloneNameAddr(req.from),
      cloneUri(target), req.recordRoute.map(cloneNameAddr), secure, localSeq, req.cseq.seq, 'early',
    );
  }

  get key(): string {
    return dialogKey(this.id.callId, this.id.localTag, this.id.remoteTag);
  }

  /** The URI the next request physically goes to (first route, else the remote target). */
  nextHop(): Uri {
    return this.routeSet[0]?.uri ?? this.remoteTarget;
  }

  /** §12.2.1.1: a new in-dialog request (CSeq incremented except for ACK and CANCEL). */
  createRequest(method: string, opts: { contact?: NameAddr; headers?: Array<[string, string]>; body?: Buffer; cseq?: number } = {}): SipRequest {
    if (method !== 'ACK' && method !== 'CANCEL') this.localSeq++;
    const first = this.routeSet[0];
    let uri: Uri;
    let route: NameAddr[];
    if (!first || (first.uri.kind === 'sip' && first.uri.params.has('lr'))) {
      uri = cloneUri(this.remoteTarget);
      route = this.routeSet.map(cloneNameAddr);
    } else {
      // strict routing: the first route becomes the Request-URI, the remote target the last Route
      const u = cloneUri(first.uri);
      if (u.kind === 'sip') u.headers = [];
      uri = u;
      route = [...this.routeSet.slice(1).map(cloneNameAddr), { uri: cloneUri(this.remoteTarget), params: first.params.clone() }];
    }
    const headers = new HeaderList();
    for (const [n, v] of opts.headers ?? []) headers.add(n, v);
    return {
      type: 'request', method, uri, via: [], from: cloneNameAddr(this.localUri), to: cloneNameAddr(this.remoteUri),
      callId: this.id.callId, cseq: { seq: opts.cseq ?? this.localSeq, method }, maxForwards: 70,
      contact: opts.contact ? [opts.contact] : [], route, recordRoute: [], headers, body: opts.body ?? Buffer.alloc(0),
    };
  }

  /** §12.2.2: false when the CSeq is lower than the last one (answer 500); updates the remote target on refresh. */
  receiveRequest(req: SipRequest): boolean {
    if (req.method !== 'ACK' && req.method !== 'CANCEL') {
      if (this.remoteSeq !== undefined && req.cseq.seq <= this.remoteSeq) return false;
      this.remoteSeq = req.cseq.seq;
    }
    if ((req.method === 'INVITE' || req.method === 'UPDATE' || req.method === 'NOTIFY') && req.contact[0]) {
      this.remoteTarget = cloneUri(req.contact[0].uri);
    }
    return true;
  }

  /** A 2xx/1xx in the dialog: target refresh (§12.2.1.2); early → confirmed on 2xx. */
  receiveResponse(res: SipResponse): void {
    if (res.contact[0] && (res.cseq.method === 'INVITE' || res.cseq.method === 'UPDATE')) this.remoteTarget = cloneUri(res.contact[0].uri);
    if (res.status >= 200 && res.status < 300 && this.state === 'early' && res.cseq.method === 'INVITE') {
      this.state = 'confirmed';
      // §12.1.2: the route set of an early dialog is recomputed from the 2xx
      if (res.recordRoute.length > 0 || this.routeSet.length > 0) this.routeSet = [...res.recordRoute].reverse().map(cloneNameAddr);
    }
  }

  confirm(): void {
    this.state = 'confirmed';
  }

  terminate(): void {
    this.state = 'terminated';
  }
}

export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}|${localTag}|${remoteTag}`;
}

/** The dialog a request belongs to, seen from the receiver (local tag = To tag). */
export function dialogKeyOfRequest(req: SipRequest): string | undefined {
  const to = req.to.params.get('tag');
  const from = req.from.params.get('tag');
  if (typeof to !== 'string' || typeof from !== 'string') return undefined;
  return dialogKey(req.callId, to, from);
}
