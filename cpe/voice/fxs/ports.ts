/**
 * The three small interfaces the FXS telephony application is written against, so its state
 * machine runs with hand-written fakes under a FakeClock and, in a unit, over the real line
 * hardware (cpe/hw), media (cpe/media) and SIP stack (cpe/voice/sip). Adapters live in
 * cpe/voice/calls/. Nothing here knows about sockets or audio samples.
 */
import type { PromptId } from '../../media/prompts/prompt-text';
import type { FaxTone } from '../../media/dsp/fax-tone-detector';
import type { NegotiatedMedia } from '../sdp/offer-answer';

// ---- line hardware ----

export type LineEvent =
  | { readonly type: 'offHook' }
  | { readonly type: 'onHook' }
  | { readonly type: 'flash' }
  /** A digit the phone dialed (DTMF or pulses): 0-9, *, #, A-D. */
  | { readonly type: 'digit'; readonly digit: string };

export interface CallerIdInfo {
  readonly number?: string;
  readonly name?: string;
  /** Caller withheld their identity (Bellcore 'P' private). */
  readonly private?: boolean;
  readonly time: number;
}

/** The FXS port as the telephony application sees it. */
export interface LinePort {
  /** Subscribes to hook, flash and digit events; returns the unsubscribe. */
  onEvent(listener: (e: LineEvent) => void): () => void;
  /** Plays a call-progress tone string (reference §7) to the phone; undefined silences it. */
  playTone(tone: string | undefined): void;
  /** Rings with a cadence (`c=2000/4000;`) and sends caller ID per the line's scheme (P853). */
  ring(cadence: string, callerId?: CallerIdInfo): void;
  stopRing(): void;
  /** Call-waiting alert during a call: the tone (undefined when P186 disables it) and type-2 caller ID (undefined when P714 disables it). */
  alertCallWaiting(tone: string | undefined, callerId?: CallerIdInfo): void;
  /** Ends the call-waiting alert (the waiting call was answered, gave up or was rejected). */
  stopCallWaiting(): void;
  /** Message waiting: FXS LED slow blink and visual MWI to the phone. */
  setMessageWaiting(waiting: boolean): void;
  /** The audio path: phone ↔ none, one, or two (locally mixed, 3-way conference) media sessions. */
  connect(sessions: readonly MediaSession[]): void;
  /** The far end hung up the call the phone was talking on (loop-current disconnect P892/P856 where enabled). */
  farEndDisconnected?(): void;
  /**
   * Plays voice prompts to the phone, one after the other; `done` once they have all been heard.
   * A line without prompts (a fake) may leave these out: the menu then runs silently.
   */
  playPrompt?(words: readonly PromptId[], done: () => void): void;
  /** Stops the prompts now; their `done` is not called. */
  stopPrompt?(): void;
}

// ---- media ----

export interface MediaSession {
  readonly localAddress: string;
  readonly localPort: number;
  /** Starts or updates the RTP stream with what offer/answer agreed (direction included). */
  update(media: NegotiatedMedia): void;
  /** Sends a digit the phone dialed during the call as RFC 4733 events (when negotiated). */
  sendDigit(digit: string): void;
  /** The phone's digit went out by SIP INFO: keep its tone out of the audio sent (at least `ms`). */
  muteDigit?(ms: number): void;
  /** Plays a digit the far end signalled out of band (SIP INFO) to the phone for `durationMs`. */
  playDigit?(digit: string, durationMs: number): void;
  /** Fax tones heard in the call's audio: from our line (phone or PSTN), or from the network. */
  onFaxTone?(listener: (tone: FaxTone, from: 'line' | 'network') => void): void;
  /** The media path becomes fax pass-through (ITU-T V.152 voiceband data) for the rest of the call. */
  faxPassThrough?(): void;
  /** Stops RTP and frees the port. Idempotent. */
  stop(): void;
}

export interface MediaFactory {
  /** Encoding names the media layer encodes and decodes (what SDP may advertise). */
  implementedCodecs(): readonly string[];
  /** A session bound to `port` on `address` (the bind itself may complete later). */
  create(address: string, port: number): MediaSession;
}

// ---- signalling ----

export interface RemoteParty {
  readonly uri: string;
  /** The user part or tel number, for caller ID and *69. */
  readonly number?: string;
  readonly displayName?: string;
  /** From is anonymous or Privacy: id (RFC 3323). */
  readonly anonymous: boolean;
}

export interface OutgoingCallRequest {
  /** A number for the account's server, or a full sip: URI (direct IP calls). */
  readonly target: string;
  readonly offer: string;
  /** Caller-ID block: anonymous From and Privacy: id (RFC 3323). */
  readonly anonymous: boolean;
  /** RFC 3891 Replaces value, when this call replaces another dialog. */
  readonly replaces?: string;
  /** *74 paging: ask the far end to answer at once (Call-Info answer-after=0). */
  readonly paging?: boolean;
  /**
   * Someone else's identity to carry (the FXO gateway's PSTN caller, P839): in From (user part and
   * display name), or in P-Asserted-Identity (RFC 3325 §9.1) / P-Preferred-Identity (§9.2).
   */
  readonly callerId?: { readonly number?: string; readonly name?: string; readonly via: 'from' | 'pai' | 'ppi' };
}

/** Callbacks of one call (one INVITE dialog usage), set by the application. */
export interface CallEvents {
  /** 1xx with or without SDP (180 ringing, 183 session progress). */
  progress(status: number, sdp: string | undefined): void;
  /** 2xx to our INVITE (UAC), or the ACK/answer completing an incoming call we answered (UAS; sdp = the answer in the ACK when we offered in the 200). */
  answered(sdp: string | undefined): void;
  /** The INVITE failed (final non-2xx, timeout 408, transport 503); `contact` lists 3xx targets. */
  failed(status: number, reason: string, contact?: readonly string[]): void;
  /** The dialog ended (BYE either way, CANCEL of an incoming call, session timer expiry). */
  ended(reason: string): void;
  /** The peer sent a re-INVITE/UPDATE with an offer: return our answer, or a status to reject it. */
  offer(sdp: string | undefined): { readonly sdp: string } | { readonly status: number };
  /** The result of our re-INVITE (hold/resume). */
  reofferResult(status: number, sdp: string | undefined): void;
  /** NOTIFY sipfrag status of a REFER we sent (RFC 3515 §2.4.5); `final` when the subscription ended. */
  transferProgress(status: number, final: boolean): void;
  /**
   * The far end transfers us (an incoming REFER, RFC 3515): call `target` (with `replaces`, RFC 3891)
   * and report the new call's progress through `report` (sipfrag NOTIFYs; final ≥ 200 ends it).
   */
  referred?(target: string, replaces: string | undefined, report: (status: number, reason: string) => void): void;
  /** A digit the far end sent by SIP INFO (application/dtmf-relay or application/dtmf). */
  dtmf?(digit: string, durationMs: number): void;
}

export interface SignallingCall {
  readonly id: string;
  readonly direction: 'outgoing' | 'incoming';
  readonly remote: RemoteParty;
  setEvents(events: CallEvents): void;
  /** UAS: 180 Ringing. */
  ringing(): void;
  /** UAS: 200 OK with SDP (answer to the INVITE's offer, or our offer when it had none). */
  accept(sdp: string): void;
  /** UAS: final non-2xx (486, 480, 433, 488...). */
  reject(status: number, reason?: string): void;
  /** UAS: 302 Moved Temporarily to `target` (call forward). */
  redirect(target: string): void;
  /** Ends the call whatever its state: CANCEL before a final response, BYE after. */
  hangup(): void;
  /** re-INVITE with a new offer (hold/resume, RFC 3264 §8). */
  reoffer(sdp: string): void;
  /** REFER (RFC 3515) to `target`; with `replaces` an attended transfer (RFC 3891). */
  refer(target: string, replaces?: SignallingCall): void;
  /** This dialog's Replaces header value (RFC 3891 §6.1: call-id;to-tag;from-tag). */
  replacesValue(): string | undefined;
  /** A digit as SIP INFO (application/dtmf-relay) in the confirmed dialog; false when there is none. */
  dtmfInfo(digit: string, durationMs: number): boolean;
}

export interface IncomingCallInfo {
  readonly call: SignallingCall;
  /** The INVITE's SDP offer, undefined for a delayed offer. */
  readonly offer: string | undefined;
  /** RFC 3891: the call of ours this INVITE replaces (attended transfer completed by the far end). */
  readonly replaces?: SignallingCall;
  /** The Request-URI's user part (sip:) or number (tel:): one-stage dialing reads the PSTN number here. */
  readonly requestUser?: string;
}

/** The PSTN line through the FXO port, for `L:` dial-plan routes and the PSTN access code P195. */
export interface PstnLine {
  /**
   * Seizes the line and dials `number` ('' = none: the phone dials on the line itself). Undefined
   * when the line is in use or absent. `ended` reports the far end hanging up.
   */
  call(number: string, events: { ended(reason: string): void }): PstnCall | undefined;
  /** The phone answers the PSTN call it is ringing for (P842); undefined when that call is gone. */
  answer(events: { ended(reason: string): void }): PstnCall | undefined;
}

/** The FXS line as the FXO side sees it: ring the phone for a PSTN call (P842 ring-through). */
export interface PstnAlerting {
  /** Rings the phone with the PSTN caller's ID; false when the phone is busy. */
  alertPstn(callerId?: CallerIdInfo): boolean;
  /** The PSTN call stopped ringing (the caller gave up, or the gateway took it). */
  endPstnAlert(): void;
}

export interface PstnCall {
  /** The line's audio, for LinePort.connect (the phone talks straight to the PSTN line). */
  readonly media: MediaSession;
  /** The phone hung up: the line is released. */
  hangup(): void;
  /** A hook flash toward the PSTN (when P837 sends it). */
  flash(): void;
}

export interface CallSignalling {
  /** Whether outgoing calls may go out now (registered, or P109 allows calls without registration). */
  canCall(): boolean;
  invite(request: OutgoingCallRequest): SignallingCall;
  /** Called for every new incoming INVITE on the line's account. */
  onIncoming(handler: (info: IncomingCallInfo) => void): void;
}
