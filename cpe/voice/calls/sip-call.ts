/**
 * The INVITE dialog usage (RFC 3261 §13–15) of one call, UAC or UAS, on the SIP core's
 * transaction and dialog layers: INVITE with digest, ACK of 2xx (and of 2xx retransmissions),
 * CANCEL (§9.1, only after a provisional), BYE either way, re-INVITE with 491 glare, REFER and
 * its NOTIFY sipfrag (RFC 3515), PRACK of reliable provisionals and, as UAS, reliable 180s
 * (RFC 3262, reliable-provisional.ts), UAS 2xx
 * retransmission until ACK (§13.3.1.4), session timers (RFC 4028, in session-timer.ts).
 */
import { dtmfFromInfo } from './dtmf-info';
import type { Cancel } from '../../shared/clock';
import type { SipRequest, SipResponse } from '../sip/syntax/message';
import { Dialog, dialogKey } from '../sip/dialog/dialog';
import type { ServerTransaction } from '../sip/transaction/server-transactions';
import type { TransportTarget } from '../sip/transport/transport';
import type { OutgoingRequest } from '../sip/ua/user-agent-core';
import { encodeNameAddr } from '../sip/syntax/name-addr';
import { encodeUri } from '../sip/syntax/uri';
import type { CallEvents, RemoteParty, SignallingCall } from '../fxs/ports';
import { decodeSipfragStatus, encodeReplaces, referToWithReplaces } from './call-headers';
import type { CallEnv } from './call-env';
import { ReliableProvisionals } from './reliable-provisional';
import { SessionTimer } from './session-timer';

export type SipCallState = 'initial' | 'proceeding' | 'early' | 'confirmed' | 'terminated';

const ALLOWED: Readonly<Record<SipCallState, readonly SipCallState[]>> = {
  initial: ['proceeding', 'early', 'confirmed', 'terminated'],
  proceeding: ['early', 'confirmed', 'terminated'],
  early: ['confirmed', 'terminated'],
  confirmed: ['terminated'],
  terminated: [],
};

const NOOP_EVENTS: CallEvents = {
  progress() {},
  answered() {},
  failed() {},
  ended() {},
  offer: () => ({ status: 488 }),
  reofferResult() {},
  transferProgress() {},
};

function sdpOf(m: SipRequest | SipResponse): string | undefined {
  const type = m.headers.get('Content-Type')?.toLowerCase() ?? '';
  return m.body.length > 0 && type.startsWith('application/sdp') ? m.body.toString('utf8') : undefined;
}

const SDP = (_sdp: string): Array<[string, string]> => [['Content-Type', 'application/sdp']];

export class SipCall implements SignallingCall {
  state: SipCallState = 'initial';
  dialog: Dialog | undefined;
  private events: CallEvents = NOOP_EVENTS;
  private out: OutgoingRequest | undefined;
  private gotProvisional = false;
  private cancelWanted = false;
  private reinvitePending = false;
  private ok2xx: SipResponse | undefined;
  private retransmit: Cancel | undefined;
  private ackWait: Cancel | undefined;
  private lastRseq = 0;
  /** UAS: provisional responses sent reliably (RFC 3262), when P272 is on and the caller supports it. */
  private reliable: ReliableProvisionals | undefined;
  /** The session description we last sent (a session refresh re-offers it unchanged). */
  private localSdp: string | undefined;
  private readonly timer: SessionTimer;

  constructor(
    readonly id: string,
    readonly direction: 'outgoing' | 'incoming',
    readonly remote: RemoteParty,
    private readonly env: CallEnv,
    private invite: SipRequest,
    private readonly serverTx?: ServerTransaction,
  ) {
    this.timer = new SessionTimer(env, {
      refresh: () => this.refresh(),
      expire: () => {
        this.env.log.info({ call: id }, 'session timer expired: ending the call (RFC 4028 §10)');
        this.remoteGone('session timer expired');
      },
    });
    if (direction === 'incoming') {
      this.dialog = Dialog.fromUasRequest(invite, env.core.newTag());
      env.registry.add(this);
    }
  }

  private transition(to: SipCallState): void {
    if (this.state === to) return;
    if (!ALLOWED[this.state].includes(to)) throw new Error(`SIP call ${this.id}: ${this.state} → ${to} not allowed`);
    this.state = to;
    if (to === 'terminated') {
      this.timer.stop();
      this.reliable?.stop();
      this.retransmit?.();
      this.ackWait?.();
      this.dialog?.terminate();
      this.env.registry.remove(this);
    }
  }

  setEvents(events: CallEvents): void {
    this.events = events;
  }

  get dialogKey(): string | undefined {
    return this.dialog ? dialogKey(this.dialog.id.callId, this.dialog.id.localTag, this.dialog.id.remoteTag) : undefined;
  }

  // ---------------- UAC ----------------

  /** Sends the INVITE (the request from SipSignalling, body = our offer). */
  /** Sends the INVITE, to `target` when given (P28092 = 0: a fresh lookup), else where the account's requests go. */
  start(target?: TransportTarget): void {
    this.timer.decorateRequest(this.invite);
    this.localSdp = sdpOf(this.invite);
    this.out = this.env.core.request(this.invite, target ?? this.env.targetFor(this.invite.uri), {
      onProgress: (res) => this.env.guard(() => this.uacProgress(res)),
      onFinal: (res) => this.env.guard(() => this.uacFinal(res)),
      onTimeout: () => this.env.guard(() => this.uacFailed(408, 'Request Timeout')),
      onTransportError: (err) => this.env.guard(() => this.uacFailed(503, `transport: ${err.message}`)),
    }, this.env.requestOptions());
  }

  private uacProgress(res: SipResponse): void {
    if (this.state === 'terminated' || res.status === 100) {
      if (res.status === 100) this.gotProvisional = true;
      if (this.cancelWanted) this.sendCancel();
      return;
    }
    this.gotProvisional = true;
    if (this.cancelWanted) return this.sendCancel();
    if (res.to.params.get('tag') && !this.dialog) {
      this.dialog = Dialog.fromUacResponse(this.out?.request ?? this.invite, res);
      this.env.registry.add(this);
    }
    this.transition(this.dialog ? 'early' : 'proceeding');
    // RFC 3262 §4: acknowledge a reliable provisional with PRACK.
    const rseq = Number(res.headers.get('RSeq'));
    if (/\b100rel\b/i.test(res.headers.getAll('Require').join(',')) && rseq > this.lastRseq && this.dialog) {
      this.lastRseq = rseq;
      const prack = this.dialog.createRequest('PRACK', { headers: [['RAck', `${rseq} ${res.cseq.seq} INVITE`]] });
      this.env.core.request(prack, this.env.targetFor(this.dialog.nextHop()), {}, this.env.requestOptions());
    }
    this.events.progress(res.status, sdpOf(res));
  }

  private uacFinal(res: SipResponse): void {
    const sent = this.out?.request ?? this.invite;
    if (res.status >= 200 && res.status < 300) {
      if (this.ok2xx) {
        // §13.2.2.4: a retransmitted 2xx gets the same ACK again
        if (res.to.params.get('tag') === this.ok2xx.to.params.get('tag')) this.sendAck(res, sent);
        return;
      }
      this.ok2xx = res;
      if (!this.dialog || this.dialog.id.remoteTag !== res.to.params.get('tag')) {
        if (this.dialog) this.env.registry.remove(this);
        this.dialog = Dialog.fromUacResponse(sent, res);
        this.env.registry.add(this);
      }
      this.dialog.receiveResponse(res);
      this.sendAck(res, sent);
      if (this.state === 'terminated' || this.cancelWanted) {
        // CANCEL lost the race against the 2xx (§9.1): end the call with BYE
        this.state = 'confirmed';
        this.bye('cancelled');
        return;
      }
      this.transition('confirmed');
      this.timer.fromResponse(res, 'uac');
      this.events.answered(sdpOf(res));
      return;
    }
    const contacts = res.status >= 300 && res.status < 400 ? res.contact.map((c) => encodeNameAddr(c)) : undefined;
    this.uacFailed(res.status, res.reason, contacts);
  }

  private uacFailed(status: number, reason: string, contacts?: string[]): void {
    if (this.state === 'terminated') return;
    this.transition('terminated');
    this.events.failed(status, reason, contacts);
  }

  private sendAck(res: SipResponse, sent: SipRequest): void {
    if (!this.dialog) return;
    const ack = this.dialog.createRequest('ACK', { cseq: sent.cseq.seq });
    for (const h of ['Authorization', 'Proxy-Authorization']) for (const v of sent.headers.getAll(h)) ack.headers.add(h, v);
    this.env.sendStateless(ack, this.env.targetFor(this.dialog.nextHop()));
  }

  private sendCancel(): void {
    const tx = this.out?.tx;
    if (!tx || this.state === 'terminated' && !this.cancelWanted) return;
    this.cancelWanted = false;
    const inv = this.out?.request ?? this.invite;
    // §9.1: same Request-URI, Call-ID, To, From, CSeq number and top Via (branch) as the INVITE
    const cancel: SipRequest = {
      ...inv,
      method: 'CANCEL',
      via: inv.via.slice(0, 1).map((v) => ({ ...v, params: v.params.clone() })),
      cseq: { seq: inv.cseq.seq, method: 'CANCEL' },
      body: Buffer.alloc(0),
      headers: inv.headers.clone().remove('Content-Type').remove('Require').remove('Session-Expires'),
    };
    this.env.core.layer.sendRequest(cancel, tx.target, { onResponse() {}, onTimeout() {}, onTransportError() {} });
  }

  // ---------------- UAS ----------------

  /** RFC 3262 §3: from now on our provisional responses (180) require PRACK. */
  sendProvisionalsReliably(): void {
    if (this.direction !== 'incoming' || this.reliable) return;
    this.reliable = new ReliableProvisionals({
      clock: this.env.clock,
      random: this.env.random,
      t1: this.env.core.layer.timers.T1,
      send: (res) => this.serverTx?.respond(res),
      unacknowledged: () =>
        this.env.guard(() => {
          if (this.state === 'confirmed' || this.state === 'terminated') return;
          this.env.log.warn({ call: this.id }, 'no PRACK for our reliable 180: rejecting the call (RFC 3262 §3)');
          this.respond(504, 'No PRACK');
          this.transition('terminated');
          this.events.ended('no PRACK');
        }),
    });
  }

  ringing(): void {
    if (this.direction !== 'incoming' || this.state !== 'initial' && this.state !== 'early') return;
    this.transition('early');
    if (this.reliable) this.reliable.send(this.makeResponse(180, []));
    else this.respond(180);
  }

  accept(sdp: string): void {
    if (this.direction !== 'incoming' || this.state === 'confirmed' || this.state === 'terminated') return;
    const headers: Array<[string, string]> = [...SDP(sdp), ['Supported', 'replaces, timer']];
    const se = this.timer.forIncoming(this.invite);
    if (se) headers.push(['Session-Expires', se], ['Require', 'timer']);
    const res = this.makeResponse(200, headers, Buffer.from(sdp));
    this.reliable?.stop();
    this.localSdp = sdp;
    this.ok2xx = res;
    this.serverTx?.respond(res);
    this.transition('confirmed');
    this.dialog?.confirm();
    // §13.3.1.4: retransmit the 2xx until the ACK, from T1 doubling to T2; give up after 64*T1 with BYE.
    const t = this.env.core.layer.timers;
    let interval = t.T1;
    const again = (): void => {
      this.retransmit = this.env.clock.setTimer(interval, () => {
        if (!this.ok2xx || this.state !== 'confirmed') return;
        this.serverTx?.respond(res);
        interval = Math.min(interval * 2, t.T2);
        again();
      });
    };
    again();
    this.ackWait = this.env.clock.setTimer(64 * t.T1, () =>
      this.env.guard(() => {
        this.retransmit?.();
        if (this.ok2xx && this.state === 'confirmed') {
          this.env.log.warn({ call: this.id }, 'no ACK for our 2xx: ending the call');
          this.remoteGone('no ACK for the 2xx');
        }
      }),
    );
  }

  reject(status: number, reason?: string): void {
    if (this.direction !== 'incoming' || this.state === 'confirmed' || this.state === 'terminated') return;
    this.serverTx?.respond(this.makeResponse(status, [], undefined, reason));
    this.transition('terminated');
  }

  redirect(target: string): void {
    if (this.direction !== 'incoming' || this.state === 'confirmed' || this.state === 'terminated') return;
    const contact = target.startsWith('sip:') || target.startsWith('sips:') || target.startsWith('tel:') ? target : `sip:${target}@${this.env.domain()}`;
    this.serverTx?.respond(this.makeResponse(302, [['Contact', `<${contact}>`]]));
    this.transition('terminated');
  }

  private makeResponse(status: number, headers: Array<[string, string]>, body?: Buffer, reason?: string): SipResponse {
    const tag = this.dialog?.id.localTag;
    const res = this.env.core.makeResponse(this.invite, status, { headers, ...(body ? { body } : {}), ...(reason ? { reason } : {}), ...(tag ? { toTag: tag } : {}) });
    if (status > 100 && status < 300) res.contact = [this.env.contact()];
    return res;
  }

  private respond(status: number, reason?: string): void {
    this.serverTx?.respond(this.makeResponse(status, [], undefined, reason));
  }

  /** The caller's CANCEL matched our INVITE (§9.2): 487, and the call is over. */
  cancelled(): void {
    if (this.state === 'confirmed' || this.state === 'terminated') return;
    this.respond(487);
    this.transition('terminated');
    this.events.ended('cancel');
  }

  /** The ACK for our 2xx (RFC 6026: it reaches the TU). */
  acked(ack: SipRequest): void {
    if (!this.ok2xx) return;
    this.ok2xx = undefined;
    this.retransmit?.();
    this.ackWait?.();
    if (this.direction === 'incoming' && this.state === 'confirmed' && !this.timer.running) {
      this.timer.fromRequest(this.invite, 'uas');
      this.events.answered(sdpOf(ack));
    }
  }

  // ---------------- both ----------------

  hangup(): void {
    switch (this.state) {
      case 'initial':
      case 'proceeding':
      case 'early':
        if (this.direction === 'incoming') return this.reject(486);
        this.cancelWanted = true;
        if (this.gotProvisional) this.sendCancel();
        return;
      case 'confirmed':
        return this.bye('local hangup');
      case 'terminated':
        return;
    }
  }

  private bye(why: string): void {
    if (this.state !== 'confirmed' || !this.dialog) return;
    const bye = this.dialog.createRequest('BYE');
    this.env.core.request(bye, this.env.targetFor(this.dialog.nextHop()), {}, this.env.requestOptions());
    this.env.log.info({ call: this.id, why }, 'BYE sent');
    this.transition('terminated');
  }

  reoffer(sdp: string): void {
    if (this.state !== 'confirmed' || !this.dialog) return;
    if (this.reinvitePending) {
      this.events.reofferResult(491, undefined);
      return;
    }
    this.reinvitePending = true;
    this.localSdp = sdp;
    const req = this.dialog.createRequest('INVITE', { contact: this.env.contact(), headers: [...SDP(sdp), ['Supported', 'replaces, timer']], body: Buffer.from(sdp) });
    this.timer.decorateRefresh(req);
    this.env.core.request(req, this.env.targetFor(this.dialog.nextHop()), {
      onFinal: (res) =>
        this.env.guard(() => {
          if (res.status >= 200 && res.status < 300) {
            this.sendAck(res, req);
            if (!this.reinvitePending) return; // retransmitted 2xx
            this.dialog?.receiveResponse(res);
            this.timer.fromResponse(res, 'uac');
          }
          this.reinvitePending = false;
          // §14.1: 481 or 408 to a re-INVITE ends the dialog
          if (res.status === 481 || res.status === 408) return this.remoteGone(`re-INVITE ${res.status}`);
          this.events.reofferResult(res.status, sdpOf(res));
        }),
      onTimeout: () => this.env.guard(() => ((this.reinvitePending = false), this.remoteGone('re-INVITE timeout'))),
      onTransportError: () => this.env.guard(() => ((this.reinvitePending = false), this.remoteGone('transport error'))),
    }, this.env.requestOptions());
  }

  /** A session refresh (RFC 4028 §7.4) re-offers the session as it stands: same SDP, no change. */
  private refresh(): void {
    const sdp = this.lastLocalSdp();
    if (sdp) this.reoffer(sdp);
  }

  private lastLocalSdp(): string | undefined {
    return this.localSdp;
  }

  private remoteGone(why: string): void {
    if (this.state === 'terminated') return;
    this.env.log.info({ call: this.id, why }, 'far end gone');
    if (this.state === 'confirmed' && this.dialog) this.bye(why);
    else this.transition('terminated');
    this.events.ended(why);
  }

  refer(target: string, replaces?: SignallingCall): void {
    if (this.state !== 'confirmed' || !this.dialog) return this.events.transferProgress(481, true);
    const uri = target.startsWith('sip:') || target.startsWith('sips:') ? target : `sip:${target}@${this.env.domain()}`;
    const rv = replaces instanceof SipCall ? replaces.replacesParts() : undefined;
    const referTo = rv ? referToWithReplaces(uri, rv) : `<${uri}>`;
    const req = this.dialog.createRequest('REFER', { contact: this.env.contact(), headers: [['Refer-To', referTo], ['Referred-By', `<${encodeUri(this.env.aor())}>`]] });
    this.env.core.request(req, this.env.targetFor(this.dialog.nextHop()), {
      onFinal: (res) => this.env.guard(() => {
        if (res.status >= 300) this.events.transferProgress(res.status, true);
      }),
      onTimeout: () => this.env.guard(() => this.events.transferProgress(408, true)),
      onTransportError: () => this.env.guard(() => this.events.transferProgress(503, true)),
    }, this.env.requestOptions());
  }

  /** RFC 3515 §2.4: we are asked to call someone else; 202, then NOTIFYs of that call's progress. */
  private referred(req: SipRequest, reply: (status: number) => void): void {
    const raw = req.headers.get('Refer-To');
    const m = raw ? /<([^>]+)>/.exec(raw) ?? /^\s*(\S+)/.exec(raw) : null;
    const uri = m?.[1];
    if (!uri || !/^sips?:/i.test(uri) || !this.events.referred) return reply(uri ? 603 : 400);
    const q = uri.indexOf('?');
    const target = q < 0 ? uri : uri.slice(0, q);
    const replacesParam = q < 0 ? undefined : new URLSearchParams(uri.slice(q + 1)).get('Replaces') ?? undefined;
    reply(202);
    let done = false;
    const report = (status: number, reason: string): void => {
      if (done || this.state === 'terminated' || !this.dialog) return;
      if (status >= 200) done = true;
      const state = status >= 200 ? 'terminated;reason=noresource' : 'active;expires=60';
      const notify = this.dialog.createRequest('NOTIFY', {
        contact: this.env.contact(),
        headers: [['Event', 'refer'], ['Subscription-State', state], ['Content-Type', 'message/sipfrag;version=2.0']],
        body: Buffer.from(`SIP/2.0 ${status} ${reason}\r\n`),
      });
      this.env.core.request(notify, this.env.targetFor(this.dialog.nextHop()), {}, this.env.requestOptions());
    };
    report(100, 'Trying');
    this.events.referred(target, replacesParam, report);
  }

  /**
   * DTMF by SIP INFO (P850–P852 = 102): the de-facto application/dtmf-relay body (Signal, Duration
   * in ms) that Cisco and Grandstream units exchange; INFO itself is RFC 6086 §4.2. Confirmed dialogs only.
   */
  dtmfInfo(digit: string, durationMs: number): boolean {
    if (this.state !== 'confirmed' || !this.dialog || !/^[0-9*#A-D]$/i.test(digit)) return false;
    const body = `Signal=${digit.toUpperCase()}\r\nDuration=${Math.round(durationMs)}\r\n`;
    const req = this.dialog.createRequest('INFO', { headers: [['Content-Type', 'application/dtmf-relay']], body: Buffer.from(body) });
    this.env.core.request(req, this.env.targetFor(this.dialog.nextHop()), {
      onFinal: (res) => {
        if (res.status >= 300) this.env.log.warn({ call: this.id, status: res.status }, 'DTMF INFO refused');
      },
    }, this.env.requestOptions());
    return true;
  }

  replacesParts(): { callId: string; toTag: string; fromTag: string } | undefined {
    const d = this.dialog;
    if (!d) return undefined;
    // RFC 3891 §3: to-tag/from-tag as seen by the party that receives the INVITE with Replaces (the far end of this dialog)
    return { callId: d.id.callId, toTag: d.id.remoteTag, fromTag: d.id.localTag };
  }

  replacesValue(): string | undefined {
    const p = this.replacesParts();
    return p ? encodeReplaces(p) : undefined;
  }

  /** An in-dialog request from the far end (SipSignalling routed it here by dialog id). */
  inDialog(req: SipRequest, tx: ServerTransaction): void {
    const reply = (status: number, headers: Array<[string, string]> = [], body?: Buffer): void =>
      tx.respond(this.env.core.makeResponse(req, status, { headers, ...(body ? { body } : {}), ...(this.dialog ? { toTag: this.dialog.id.localTag } : {}) }));
    if (this.dialog && !this.dialog.receiveRequest(req)) return reply(500);
    switch (req.method) {
      case 'BYE':
        reply(200);
        if (this.state !== 'terminated') {
          this.transition('terminated');
          this.events.ended('bye');
        }
        return;
      case 'INVITE':
      case 'UPDATE': {
        if (req.method === 'INVITE' && this.reinvitePending) return reply(491); // §14.2 glare
        const offer = sdpOf(req);
        if (req.method === 'UPDATE' && !offer) {
          this.timer.fromRequest(req, 'uas');
          return reply(200, this.timer.responseHeaders(req));
        }
        const r = this.events.offer(offer);
        if ('status' in r) return reply(r.status);
        this.timer.fromRequest(req, 'uas');
        this.localSdp = r.sdp;
        const res = this.env.core.makeResponse(req, 200, { headers: [...SDP(r.sdp), ...this.timer.responseHeaders(req)], body: Buffer.from(r.sdp), ...(this.dialog ? { toTag: this.dialog.id.localTag } : {}) });
        res.contact = [this.env.contact()];
        return tx.respond(res);
      }
      case 'NOTIFY': {
        reply(200);
        if (!/^refer\b/i.test(req.headers.get('Event') ?? '')) return;
        const final = /^terminated/i.test(req.headers.get('Subscription-State') ?? '');
        try {
          this.events.transferProgress(decodeSipfragStatus(req.body.toString('utf8')), final);
        } catch {
          if (final) this.events.transferProgress(500, true);
        }
        return;
      }
      case 'REFER':
        return this.referred(req, reply);
      case 'INFO': {
        const digit = dtmfFromInfo(req.headers.get('Content-Type'), req.body.toString('utf8'));
        if (digit && 'problem' in digit) {
          this.env.log.warn({ call: this.id, problem: digit.problem }, 'INFO with a bad DTMF body refused');
          return tx.respond(this.env.core.makeResponse(req, 400, { reason: `Bad Request - ${digit.problem}`, ...(this.dialog ? { toTag: this.dialog.id.localTag } : {}) }));
        }
        if (digit) this.events.dtmf?.(digit.digit, digit.durationMs);
        return reply(200);
      }
      case 'OPTIONS':
        return reply(200);
      case 'PRACK': {
        // RFC 3262 §4: 200 when the RAck names a reliable provisional of ours, else 481
        const ok = this.reliable?.prack(req.headers.get('RAck'), this.invite.cseq.seq) === true;
        this.env.log.debug({ call: this.id, rack: req.headers.get('RAck'), ok }, 'PRACK received');
        return reply(ok ? 200 : 481);
      }
      default:
        return reply(501);
    }
  }
}
