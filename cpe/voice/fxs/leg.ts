/**
 * One call of the line (a "leg"): its SIP dialog usage, its RTP session and its SDP state
 * (RFC 3264 offers and answers, hold and resume by direction §8.4, re-INVITE glare §14.1).
 */
import type { Cancel, Clock } from '../../shared/clock';
import type { Random } from '../../shared/random';
import type { Logger } from '../../shared/logger';
import { decodeSdp, encodeSdp, type SessionDescription } from '../sdp/sdp';
import { applyAnswer, createAnswer, createOffer, OfferAnswerError, type LocalMedia, type NegotiatedMedia } from '../sdp/offer-answer';
import type { Direction } from '../sdp/sdp-media';
import type { MediaSession, SignallingCall } from './ports';

export type LegState = 'setup' | 'early' | 'confirmed' | 'ended';

/** Duration announced in a SIP INFO digit (ms): the line reports key presses, not their length. [?] 100 ms, as our RFC 4733 events. */
const DTMF_INFO_MS = 100;

export type LegBase = Omit<LocalMedia, 'direction' | 'sessionVersion' | 'port' | 'address'> & {
  /** P101: the static-NAT address written in SDP instead of the media socket's own. */
  readonly natAddress?: string;
};

export class Leg {
  state: LegState = 'setup';
  /** Placed from the flash dial tone while another call was held (attended transfer / conference candidate). */
  consult = false;
  /** A REFER we sent for this leg awaits its NOTIFY. */
  transferring = false;
  /** *23: placed from the flash dial tone, it joins the held call in a conference once answered. */
  autoConference = false;
  /** *70/*71 for this call. */
  cwOverride: boolean | undefined;
  /** Caller ID / number of the far end for status and *69. */
  remoteNumber: string | undefined;
  redirects = 0;
  /** The INVITE's offer of an incoming call (undefined: delayed offer). */
  incomingOffer: string | undefined;
  /** A call we place because the far end referred us (RFC 3515): its progress goes back in NOTIFYs. */
  referReport: ((status: number, reason: string) => void) | undefined;
  /** Attended transfer: this (consult) leg is replaced by the REFER sent on that leg. */
  replacedBy: Leg | undefined;
  private callRef: SignallingCall | undefined;
  private version = 1;
  private want: Direction = 'sendrecv';
  private pending: SessionDescription | undefined;
  private negotiated: NegotiatedMedia | undefined;
  private glare: Cancel | undefined;
  private reofferWanted = false;

  constructor(
    readonly id: string,
    readonly media: MediaSession,
    private readonly base: LegBase,
    private readonly env: { readonly clock: Clock; readonly random: Random; readonly log: Logger },
  ) {}

  get call(): SignallingCall {
    if (!this.callRef) throw new Error(`leg ${this.id} has no call yet`);
    return this.callRef;
  }

  attach(call: SignallingCall): void {
    this.callRef = call;
  }

  get hasCall(): boolean {
    return this.callRef !== undefined;
  }

  get held(): boolean {
    return this.want !== 'sendrecv';
  }

  get negotiatedMedia(): NegotiatedMedia | undefined {
    return this.negotiated;
  }

  /**
   * A digit the phone dialed during this call, by the first method of P850–P852 that this call
   * can use: 101 RFC 4733 events when telephone-event was negotiated, 102 SIP INFO once the dialog
   * is confirmed (its tone then muted from the audio), 100 in-audio (the phone's own tone is
   * already in the audio: nothing to add).
   */
  sendDigit(digit: string, methods: readonly number[]): 'rfc4733' | 'info' | 'audio' {
    for (const m of methods) {
      if (m === 101 && this.negotiated?.telephoneEventPt !== undefined) {
        this.media.sendDigit(digit);
        return 'rfc4733';
      }
      if (m === 102 && this.state === 'confirmed' && this.callRef?.dtmfInfo(digit, DTMF_INFO_MS)) {
        this.media.muteDigit?.(DTMF_INFO_MS);
        return 'info';
      }
      if (m === 100) return 'audio';
    }
    return 'audio';
  }

  private local(): LocalMedia {
    const { natAddress, ...base } = this.base;
    return { ...base, address: natAddress || this.media.localAddress, port: this.media.localPort, direction: this.want, sessionVersion: this.version };
  }

  /** Our offer (initial INVITE, or the 200 of a delayed-offer INVITE). */
  offer(): string {
    this.pending = createOffer(this.local());
    return encodeSdp(this.pending);
  }

  /** Applies the peer's answer to our pending offer; false when it is unusable (caller hangs up). */
  applyAnswer(sdp: string | undefined): boolean {
    if (sdp === undefined || sdp.trim() === '') return this.negotiated !== undefined;
    if (!this.pending) return this.negotiated !== undefined; // a repeated answer (183 then 200 with the same SDP)
    try {
      this.negotiated = applyAnswer(this.pending, decodeSdp(sdp), this.local());
      this.media.update(this.negotiated);
      return true;
    } catch (e) {
      this.env.log.warn({ leg: this.id, err: (e as Error).message }, 'unusable SDP answer');
      return false;
    }
  }

  /** Answers a peer's offer (initial INVITE or re-INVITE); a status (488, 400) when we cannot. */
  answer(sdp: string | undefined): { readonly sdp: string } | { readonly status: number } {
    if (sdp === undefined || sdp.trim() === '') return { sdp: this.offer() }; // RFC 3261 §13.2.1 delayed offer: we offer
    try {
      const { answer, negotiated } = createAnswer(decodeSdp(sdp), this.local());
      this.version += this.negotiated ? 1 : 0;
      this.negotiated = negotiated;
      this.pending = undefined;
      this.media.update(negotiated);
      return { sdp: encodeSdp({ ...answer, origin: { ...answer.origin, sessionVersion: String(this.version) } }) };
    } catch (e) {
      if (e instanceof OfferAnswerError) return { status: e.status };
      return { status: 400 };
    }
  }

  /** Checks an offer without committing (a call we will ring for must be answerable). */
  canAnswer(sdp: string | undefined): number | undefined {
    if (sdp === undefined || sdp.trim() === '') return undefined;
    try {
      createAnswer(decodeSdp(sdp), this.local());
      return undefined;
    } catch (e) {
      return e instanceof OfferAnswerError ? e.status : 400;
    }
  }

  hold(): void {
    this.setDirection('sendonly');
  }

  resume(): void {
    this.setDirection('sendrecv');
  }

  private setDirection(d: Direction): void {
    if (this.want === d || this.state === 'ended') return;
    this.want = d;
    if (this.negotiated) this.media.update({ ...this.negotiated, direction: d === 'sendrecv' ? this.negotiated.direction : 'sendonly' });
    this.sendReoffer();
  }

  private sendReoffer(): void {
    if (this.state !== 'confirmed' || !this.callRef) {
      this.reofferWanted = true; // sent once the dialog is confirmed
      return;
    }
    if (this.glare) return;
    this.reofferWanted = false;
    this.version += 1;
    this.callRef.reoffer(this.offer());
  }

  confirmed(): void {
    this.state = 'confirmed';
    if (this.reofferWanted) this.sendReoffer();
  }

  reofferResult(status: number, sdp: string | undefined): void {
    if (status >= 200 && status < 300) {
      this.applyAnswer(sdp);
      return;
    }
    if (status === 491) {
      // RFC 3261 §14.1: the Call-ID owner waits 2.1–4 s, the other side 0–2 s, in 10 ms units.
      const ms = this.callRef?.direction === 'outgoing' ? 2100 + this.env.random.int(191) * 10 : this.env.random.int(201) * 10;
      this.glare = this.env.clock.setTimer(ms, () => {
        this.glare = undefined;
        this.sendReoffer();
      });
      return;
    }
    this.pending = undefined;
    this.env.log.info({ leg: this.id, status }, 're-INVITE refused; media keeps its last agreed state');
  }

  /** Stops media and timers; the dialog itself is ended by the caller (hangup) or was ended by the peer. */
  end(): void {
    this.state = 'ended';
    this.glare?.();
    this.glare = undefined;
    this.media.stop();
  }
}
