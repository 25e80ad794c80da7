/**
 * One call of the line (a "leg"): its SIP dialog usage, its RTP session and its SDP state
 * (RFC 3264 offers and answers, hold and resume by direction §8.4, re-INVITE glare §14.1), and
 * its fax pass-through (fax-pass-through.ts), for the FXS line and the FXO gateway alike.
 */
import type { Cancel, Clock } from '../../shared/clock';
import type { Random } from '../../shared/random';
import type { Logger } from '../../shared/logger';
import { decodeSdp, encodeSdp, type SessionDescription } from '../sdp/sdp';
import { applyAnswer, createAnswer, createOffer, OfferAnswerError, type LocalMedia, type NegotiatedMedia } from '../sdp/offer-answer';
import { faxCodecs, faxMarks, faxRequest, type FaxMarks } from '../sdp/fax-sdp';
import type { Direction } from '../sdp/sdp-media';
import { DEFAULT_FAX_SETTINGS, FaxPassThrough, type FaxSettings } from './fax-pass-through';
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
  /** Our re-INVITE (sent, or waiting for the dialog or a glare retry) is the fax one. */
  private faxReoffer = false;
  /** A hold/resume re-INVITE is wanted too. */
  private directionReoffer = false;
  /** What the peer's last session description said about fax (a re-INVITE's change matters). */
  private remoteMarks: FaxMarks | undefined;
  readonly fax: FaxPassThrough;

  constructor(
    readonly id: string,
    readonly media: MediaSession,
    private readonly base: LegBase,
    private readonly env: { readonly clock: Clock; readonly random: Random; readonly log: Logger },
    /** P228/P4416 (FXS) or P710/P4417 (FXO), read when a fax tone is heard. */
    faxSettings: () => FaxSettings = () => DEFAULT_FAX_SETTINGS,
  ) {
    this.fax = new FaxPassThrough(
      {
        sendEncoding: () => this.negotiated?.sendCodec.encoding,
        switchMedia: () => this.media.faxPassThrough?.(),
        reinvite: () => {
          this.faxReoffer = true;
          this.sendReoffer();
        },
      },
      faxSettings,
      { clock: env.clock, log: env.log, id },
    );
    media.onFaxTone?.((tone, from) => this.fax.heard(tone, from));
  }

  /** The call is in fax pass-through (status). */
  get faxPassThrough(): boolean {
    return this.fax.active;
  }

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
    // fax pass-through: what sounds like a digit is fax audio, and goes as audio only
    if (this.fax.active) return 'audio';
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

  /** In fax pass-through: G.711 only in the line's order, 20 ms packets, no telephone-event, voiceband data marks. */
  private local(fax = this.fax.signalling): LocalMedia {
    const { natAddress, telephoneEventPt, ...base } = this.base;
    const media = fax
      ? { ...base, codecs: faxCodecs(base.codecs), ptimeMs: 20, passThrough: true }
      : { ...base, ...(telephoneEventPt !== undefined ? { telephoneEventPt } : {}) };
    return { ...media, address: natAddress || this.media.localAddress, port: this.media.localPort, direction: this.want, sessionVersion: this.version };
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
      const answer = decodeSdp(sdp);
      this.negotiated = applyAnswer(this.pending, answer, this.local());
      this.remoteMarks = faxMarks(answer);
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
    let request: 'passThrough' | 't38' | undefined;
    try {
      const offer = decodeSdp(sdp);
      const marks = faxMarks(offer);
      // a re-INVITE asking for fax is answered G.711 pass-through (T.38's image stream refused)
      request = this.state === 'confirmed' ? faxRequest(marks, this.remoteMarks) : undefined;
      const { answer, negotiated } = createAnswer(offer, this.local(request !== undefined || this.fax.signalling));
      this.version += this.negotiated ? 1 : 0;
      this.negotiated = negotiated;
      this.remoteMarks = marks;
      this.pending = undefined;
      this.media.update(negotiated);
      if (request) this.fax.farEndRequest(request, true);
      return { sdp: encodeSdp({ ...answer, origin: { ...answer.origin, sessionVersion: String(this.version) } }) };
    } catch (e) {
      // RFC 3261 §14.2: a refused re-INVITE leaves the session as it was (a T.38-only offer: 488)
      if (request) this.fax.farEndRequest(request, false);
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
    this.directionReoffer = true;
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
      this.reofferDone(this.applyAnswer(sdp));
      return;
    }
    if (status === 491) {
      // RFC 3261 §14.1: the Call-ID owner waits 2.1–4 s, the other side 0–2 s, in 10 ms units.
      const ms = this.callRef?.direction === 'outgoing' ? 2100 + this.env.random.int(191) * 10 : this.env.random.int(201) * 10;
      this.glare = this.env.clock.setTimer(ms, () => {
        this.glare = undefined;
        // the peer's own fax re-INVITE got through meanwhile: ours is not needed any more
        if (this.faxReoffer && this.fax.state === 'passThrough' && !this.directionReoffer) this.faxReoffer = false;
        else this.sendReoffer();
      });
      return;
    }
    this.pending = undefined;
    this.env.log.info({ leg: this.id, status }, 're-INVITE refused; media keeps its last agreed state');
    this.reofferDone(false);
  }

  private reofferDone(ok: boolean): void {
    this.directionReoffer = false;
    if (!this.faxReoffer) return;
    this.faxReoffer = false;
    this.fax.reinviteResult(ok);
  }

  /** Stops media and timers; the dialog itself is ended by the caller (hangup) or was ended by the peer. */
  end(): void {
    this.state = 'ended';
    this.glare?.();
    this.glare = undefined;
    this.fax.stop();
    this.media.stop();
  }
}
