/**
 * The FXS telephony application: one analog line, its calls (legs) and its features, as a state
 * machine with named states, an ALLOWED transition table and a handler map per state (pjsip
 * tsx_state_handler style). Per-state behaviour lives in fxs-handlers.ts, digit collection and
 * star codes in fxs-dialing.ts; this file holds the context, transitions, timers, legs and the
 * guarded entry points (every input from the line or the network goes through `guard`, so a bug
 * or a hostile peer leaves the phone in a sane state, never a crashed process).
 */
import type { Cancel, Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { Random } from '../../shared/random';
import type { FeatureStore } from '../features/feature-state';
import { codecPreference, packetTimeMs } from '../sdp/codecs';
import { newLocalKeys, type LocalSrtp, type SrtpMode } from '../sdp/srtp-negotiation';
import type { DialPlanMatcher } from './dial-plan-port';
import { bool, readLineSettings, type LineSettings, type ParamReader } from './fxs-settings';
import { Leg } from './leg';
import { readFaxSettings } from './fax-pass-through';
import type { IvrHost } from '../../ivr/ivr-host';
import { LinePrompts, VoiceMenuSession } from './fxs-voice-menu';

/** *02 encoding name → vocoder code (P57 values) of the codecs that have a static one. */
const FORCED_VOCODER: Readonly<Record<string, readonly string[]>> = { PCMU: ['0'], PCMA: ['8'], G723: ['4'], G729: ['18'], G722: ['9'], ILBC: ['97'] };
import type { CallerIdInfo, CallEvents, CallSignalling, IncomingCallInfo, LineEvent, LinePort, MediaFactory, PstnAlerting, PstnCall, PstnLine } from './ports';
import { HANDLERS } from './fxs-handlers';
import { onIncoming } from './fxs-incoming';
import { placeCall, placeRedirect } from './fxs-dialing';

export type LineState = 'idle' | 'ringing' | 'dialTone' | 'dialing' | 'calling' | 'talking' | 'conference' | 'flashDigit' | 'failed' | 'recall' | 'pstn' | 'pstnRinging' | 'ivr';

export const ALLOWED: Readonly<Record<LineState, readonly LineState[]>> = {
  idle: ['ringing', 'dialTone', 'recall', 'pstnRinging'],
  ringing: ['idle', 'talking'],
  dialTone: ['dialing', 'calling', 'talking', 'failed', 'idle', 'recall', 'dialTone', 'pstn', 'ivr'],
  dialing: ['calling', 'talking', 'failed', 'idle', 'recall', 'dialTone', 'pstn', 'ivr'],
  calling: ['talking', 'failed', 'idle', 'recall', 'dialTone'],
  talking: ['dialTone', 'idle', 'recall', 'conference', 'flashDigit', 'talking', 'ringing', 'failed', 'calling'],
  conference: ['talking', 'idle', 'dialTone'],
  flashDigit: ['talking', 'conference', 'idle', 'dialTone', 'recall', 'ringing'],
  failed: ['idle', 'recall', 'talking', 'dialTone'],
  recall: ['talking', 'idle'],
  /** The phone talks on the PSTN line through the FXO port (`L:` route, access code P195). */
  pstn: ['idle', 'failed', 'recall'],
  /** The phone rings for a PSTN call on the FXO line (P842 ring-through). */
  pstnRinging: ['idle', 'pstn', 'dialTone'],
  /** The voice menu (`***`, user guide table 5): left for a call (47, 86), on hook, or by flash. */
  ivr: ['idle', 'calling', 'failed', 'dialTone'],
};

/** What the status page and TR-069 Line.CallState show (TR-104 enumeration). */
export type CallState = 'Idle' | 'Calling' | 'Ringing' | 'Connecting' | 'InCall' | 'Hold' | 'Disconnecting';

export interface LineStatus {
  readonly line: number;
  readonly state: LineState;
  readonly callState: CallState;
  readonly offHook: boolean;
  /** `srtp`: the call's media is SRTP (SDES keys agreed, P183); `fax`: the call is in fax pass-through (P228, P4416). */
  readonly calls: readonly { readonly id: string; readonly remote: string | undefined; readonly state: string; readonly held: boolean; readonly srtp: boolean; readonly fax: boolean }[];
  readonly messageWaiting: boolean;
  readonly dnd: boolean;
}

export interface FxsLineOptions {
  readonly lineNumber: number;
  readonly line: LinePort;
  readonly media: MediaFactory;
  readonly signalling: CallSignalling;
  /** The PSTN line (FXO port) for `L:` routes and P195; absent: such numbers get reorder. */
  readonly pstn?: PstnLine;
  readonly dialPlan: DialPlanMatcher;
  readonly params: ParamReader;
  readonly features: FeatureStore;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  /** Address RTP binds to and SDP advertises. */
  readonly mediaAddress: string;
  /** First local RTP port (P39 + port offset), read when a call starts; each leg takes the next even port. */
  readonly rtpBasePort: number | (() => number);
  readonly sdpUser: string;
  /** The unit behind the voice menu; absent: `***` is dialed like any other digits. */
  readonly ivr?: IvrHost;
}

export type TimerName = 'digit' | 'stutter' | 'autoDial' | 'confirm' | 'ringTimeout' | 'forwardNoAnswer' | 'flashDigit' | 'waitingTimeout';

export interface LineHandlers {
  enter?(line: FxsLine, arg?: string): void;
  offHook?(line: FxsLine): void;
  onHook?(line: FxsLine): void;
  flash?(line: FxsLine): void;
  digit?(line: FxsLine, digit: string): void;
  timeout?(line: FxsLine, timer: TimerName): void;
}

export class FxsLine implements PstnAlerting {
  state: LineState = 'idle';
  offHook = false;
  /** The call connected to the phone (or being placed). */
  active: Leg | undefined;
  /** The other call: held by us, or in the conference with `active`. */
  other: Leg | undefined;
  /** An incoming call alerting during a call (call waiting). */
  waiting: Leg | undefined;
  /** Legs whose REFER awaits its outcome after leaving the phone. */
  readonly transferring = new Set<Leg>();
  digits = '';
  messageWaiting = false;
  /** The voice mail system (RFC 3842 Message-Account of the last message summary): where IVR option 86 calls. */
  voicemailUri: string | undefined;
  /** The voice menu while the line is in state 'ivr'. */
  voiceMenu: VoiceMenuSession | undefined;
  /** Voice prompts to the phone ("Device not registered", the menu's). */
  readonly prompts: LinePrompts;
  private readonly timers = new Map<TimerName, Cancel>();
  private readonly legs = new Set<Leg>();
  private legSeq = 0;
  private unsubscribe: (() => void) | undefined;

  constructor(readonly opts: FxsLineOptions) {
    this.prompts = new LinePrompts(opts.line, (fn) => this.guard(fn));
  }

  get log(): Logger {
    return this.opts.log;
  }

  start(): void {
    this.unsubscribe = this.opts.line.onEvent((e) => this.guard(() => this.onLineEvent(e)));
    this.opts.signalling.onIncoming((info) => this.guard(() => onIncoming(this, info)));
  }

  /** Ends every call and releases media (service stop). */
  stop(): void {
    this.unsubscribe?.();
    for (const leg of [...this.legs]) this.hangup(leg);
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.prompts.stop();
    this.opts.line.playTone(undefined);
    this.opts.line.stopRing();
    this.opts.line.connect([]);
    this.state = 'idle';
  }

  settings(): LineSettings {
    return readLineSettings(this.opts.params);
  }

  // ---- transitions ----

  transition(to: LineState, arg?: string): void {
    const from = this.state;
    if (from !== to && !ALLOWED[from].includes(to)) throw new Error(`FXS line: transition ${from} → ${to} not allowed`);
    this.log.debug({ from, to }, 'fxs line state');
    for (const name of ['digit', 'stutter', 'autoDial', 'confirm', 'ringTimeout', 'forwardNoAnswer', 'flashDigit'] as const) this.disarm(name);
    if (from === 'ringing' || from === 'recall' || from === 'pstnRinging') this.opts.line.stopRing();
    if (from === 'ivr' && to !== 'ivr') this.voiceMenu = undefined;
    this.prompts.stop();
    this.state = to;
    HANDLERS[to].enter?.(this, arg);
  }

  arm(name: TimerName, ms: number, fn?: () => void): void {
    this.disarm(name);
    const run = fn ?? (() => HANDLERS[this.state].timeout?.(this, name));
    this.timers.set(
      name,
      this.opts.clock.setTimer(ms, () => {
        this.timers.delete(name);
        this.guard(run);
      }),
    );
  }

  disarm(name: TimerName): void {
    this.timers.get(name)?.();
    this.timers.delete(name);
  }

  // ---- audio ----

  tone(tone: string | undefined): void {
    this.opts.line.playTone(tone);
  }

  // ---- voice menu ----

  /** Whether `***` opens the voice menu: a unit behind it, and P253 not disabling voice prompts. */
  ivrEnabled(): boolean {
    return this.opts.ivr !== undefined && !bool(this.opts.params, 253, false);
  }

  /** Opens the voice menu (state 'ivr' entered). */
  openVoiceMenu(): void {
    const menu = new VoiceMenuSession(this.opts.ivr as IvrHost, {
      prompts: this.prompts,
      inMenu: () => this.state === 'ivr',
      dialTone: () => this.tone(this.settings().tones.dial),
      call: (target) => void placeCall(this, target, {}),
    }, this.log);
    this.voiceMenu = menu;
    menu.start();
  }

  /** The phone's call on the PSTN line (state 'pstn'). */
  pstnCall: PstnCall | undefined;
  /** Caller ID of the PSTN call the phone rings for (state 'pstnRinging'). */
  pstnCallerId: CallerIdInfo | undefined;

  /** PstnAlerting: ring the phone for a PSTN call, when it is idle. */
  alertPstn(callerId?: CallerIdInfo): boolean {
    let rang = false;
    this.guard(() => {
      if (this.state !== 'idle' || this.offHook || this.allLegs().length > 0) return;
      this.pstnCallerId = callerId;
      this.transition('pstnRinging');
      rang = true;
    });
    return rang;
  }

  endPstnAlert(): void {
    this.guard(() => {
      if (this.state === 'pstnRinging') this.transition('idle');
    });
  }

  /** The PSTN far end hung up: the phone hears reorder until it hangs up. */
  pstnEnded(reason: string): void {
    this.guard(() => {
      this.log.info({ reason }, 'PSTN call ended');
      if (!this.pstnCall) return;
      this.pstnCall = undefined;
      if (this.state === 'pstn') this.transition('failed', 'reorder');
    });
  }

  /** Connects the phone to the legs that should be heard now. */
  route(): void {
    if (this.state === 'pstn' && this.pstnCall) this.opts.line.connect([this.pstnCall.media]);
    else if (this.state === 'conference' && this.active && this.other) this.opts.line.connect([this.active.media, this.other.media]);
    else if ((this.state === 'talking' || this.state === 'calling' || this.state === 'flashDigit') && this.active && this.active.negotiatedMedia) this.opts.line.connect([this.active.media]);
    else this.opts.line.connect([]);
  }

  // ---- legs ----

  /**
   * SRTP for a new leg: P183, overridden by *16/*17 (all calls) and *18/*19 (this call). An
   * override that enables SRTP keeps P183's "forced" and otherwise means "enabled, not forced"
   * [?] (the user guide names the codes only). Fresh SDES keys per leg, from the injected Random.
   */
  private srtpFor(s: LineSettings, perCall: boolean | undefined): LocalSrtp | undefined {
    const on = perCall ?? this.opts.features.get().srtp;
    const mode: SrtpMode = on === undefined ? s.srtpMode : !on ? 'off' : s.srtpMode === 'forced' ? 'forced' : 'optional';
    return mode === 'off' ? undefined : { mode, keys: newLocalKeys(this.opts.random), lifetime: s.srtpLifetime };
  }

  /**
   * A new leg with its RTP session on the next free even port; `onlyCodec` (*02) narrows the
   * offer to one codec, `srtp` (*18/*19) turns SRTP on or off for this call.
   */
  newLeg(onlyCodec?: string, srtp?: boolean): Leg {
    const s = this.settings();
    const implemented = this.opts.media.implementedCodecs().filter((c) => onlyCodec === undefined || c.toLowerCase() === onlyCodec.toLowerCase());
    // the forced codec is offered even when P57–P62 do not list it (its static vocoder code)
    const vocoders = onlyCodec === undefined ? s.vocoders : [...s.vocoders, ...(FORCED_VOCODER[onlyCodec.toUpperCase()] ?? [])];
    const codecs = codecPreference(vocoders, { ilbc: s.ilbcPayloadType, opus: s.opusPayloadType, ilbcFrame: s.ilbcFrame }, implemented);
    const used = new Set([...this.legs].map((l) => l.media.localPort));
    const base = this.opts.rtpBasePort;
    let port = typeof base === 'function' ? base() : base;
    while (used.has(port)) port += 2;
    const media = this.opts.media.create(this.opts.mediaAddress, port);
    const telephoneEvent = s.dtmfMethods.includes(101) ? { telephoneEventPt: s.dtmfPayloadType } : {};
    const keys = this.srtpFor(s, srtp);
    const leg = new Leg(
      `${this.opts.lineNumber}.${++this.legSeq}`,
      media,
      { username: this.opts.sdpUser, sessionId: String(this.opts.clock.now() % 1e9 + this.legSeq), codecs, ptimeMs: packetTimeMs(s.framesPerTx, codecs[0]), singleCodecAnswer: s.singleCodecAnswer, ...telephoneEvent, ...(s.natIp ? { natAddress: s.natIp } : {}), ...(keys ? { srtp: keys } : {}) },
      { clock: this.opts.clock, random: this.opts.random, log: this.log },
      () => readFaxSettings(this.opts.params, 1),
    );
    this.legs.add(leg);
    return leg;
  }

  /** Binds a leg's signalling events to the line (every event guarded). */
  bind(leg: Leg): void {
    const g = <A extends unknown[]>(fn: (...a: A) => void) => (...a: A) => this.guard(() => fn(...a));
    const events: CallEvents = {
      progress: g((status: number, sdp: string | undefined) => this.legProgress(leg, status, sdp)),
      answered: g((sdp: string | undefined) => this.legAnswered(leg, sdp)),
      failed: g((status: number, reason: string, contact?: readonly string[]) => this.legFailed(leg, status, reason, contact)),
      ended: g((reason: string) => this.legEnded(leg, reason)),
      offer: (sdp) => {
        try {
          return leg.answer(sdp);
        } catch {
          return { status: 500 };
        }
      },
      reofferResult: g((status: number, sdp: string | undefined) => leg.reofferResult(status, sdp)),
      transferProgress: g((status: number, final: boolean) => this.transferProgress(leg, status, final)),
      referred: (target, replaces, report) => this.guard(() => this.legReferred(leg, target, replaces, report)),
      // DTMF the far end sent by SIP INFO: heard on the phone as tones (RFC 4733 digits play in the media layer).
      dtmf: g((digit: string, ms: number) => leg.media.playDigit?.(digit, ms)),
    };
    leg.call.setEvents(events);
  }

  /** Hangs up a leg (CANCEL, BYE or reject as its state needs) and forgets it. */
  hangup(leg: Leg | undefined, rejectStatus = 486): void {
    if (!leg) return;
    this.forget(leg);
    if (leg.state === 'ended') return;
    const call = leg.hasCall ? leg.call : undefined;
    const before = leg.state;
    leg.end();
    if (!call) return;
    if (call.direction === 'incoming' && before === 'setup') call.reject(rejectStatus);
    else call.hangup();
  }

  /** Removes a leg from every role. */
  forget(leg: Leg): void {
    if (this.active === leg) this.active = undefined;
    if (this.other === leg) this.other = undefined;
    if (this.waiting === leg) {
      this.waiting = undefined;
      this.disarm('waitingTimeout');
      this.opts.line.stopCallWaiting();
    }
    this.transferring.delete(leg);
    this.legs.delete(leg);
  }

  allLegs(): readonly Leg[] {
    return [...this.legs];
  }

  // ---- leg events (state-independent parts; the state decides the rest) ----

  private legProgress(leg: Leg, status: number, sdp: string | undefined): void {
    if (leg !== this.active || this.state !== 'calling') return;
    if (sdp && leg.applyAnswer(sdp)) {
      leg.state = 'early';
      this.tone(undefined);
      this.route(); // early media (RFC 3261 §13.2.1 / 183)
    } else if (status === 180 && leg.state !== 'early') {
      this.tone(this.settings().tones.ringback);
    }
  }

  private legAnswered(leg: Leg, sdp: string | undefined): void {
    if (leg.state === 'ended') return;
    if (!leg.applyAnswer(sdp)) {
      this.log.warn({ leg: leg.id }, 'no usable media in the answer: hanging up');
      const wasActive = leg === this.active;
      leg.confirmed();
      this.hangup(leg);
      if (wasActive && this.offHook && (this.state === 'calling' || this.state === 'talking')) this.transition('failed', 'reorder');
      return;
    }
    leg.confirmed();
    leg.referReport?.(200, 'OK');
    leg.referReport = undefined;
    if (leg === this.active && this.state === 'calling') this.transition('talking');
    else if (leg === this.active) this.route();
    // *23: the answered consult call and the held one become a Bellcore 3-way conference (P4830)
    if (leg.autoConference && leg === this.active && this.state === 'talking' && this.other && !this.settings().conferenceDisabled) {
      leg.autoConference = false;
      this.other.resume();
      this.transition('conference');
    }
  }

  private legFailed(leg: Leg, status: number, reason: string, contact?: readonly string[]): void {
    this.log.info({ leg: leg.id, status, reason }, 'call failed');
    if (leg.referReport) {
      leg.referReport(status, reason);
      leg.referReport = undefined;
      if (this.other) this.other.transferring = false; // the referrer's call is ours again
    }
    const wasActive = leg === this.active;
    leg.end();
    this.forget(leg);
    if (!wasActive || (this.state !== 'calling' && this.state !== 'talking')) {
      if (this.state === 'ringing' && !this.active) this.transition('idle');
      return;
    }
    // RFC 3261 §8.1.3.4: follow a redirect (at most 3 hops).
    const next = status >= 300 && status < 400 ? contact?.[0] : undefined;
    if (next && leg.redirects < 3) {
      placeRedirect(this, next, leg.redirects + 1);
      return;
    }
    const busy = status === 486 || status === 600 || status === 603;
    this.transition('failed', busy ? 'busy' : 'reorder');
  }

  private legEnded(leg: Leg, reason: string): void {
    this.log.info({ leg: leg.id, reason }, 'call ended');
    const role = leg === this.active ? 'active' : leg === this.other ? 'other' : leg === this.waiting ? 'waiting' : 'none';
    leg.end();
    this.forget(leg);
    switch (this.state) {
      case 'ringing':
        if (role === 'active') this.transition('idle');
        return;
      case 'recall':
        if (role === 'other') this.transition('idle');
        return;
      case 'conference':
        if (role === 'active' || role === 'other') {
          if (role === 'active') {
            this.active = this.other;
            this.other = undefined;
          } else this.other = undefined;
          this.transition('talking');
        }
        return;
      case 'calling':
      case 'talking':
      case 'flashDigit':
        if (role === 'active') {
          // The far end hung up: back to dial tone (a held call stays held; flash returns to it).
          if (!this.other) this.opts.line.farEndDisconnected?.();
          this.transition('dialTone');
        }
        return;
      default:
        return;
    }
  }

  /** RFC 3515: the far end of the active call transfers us to `target`; its call waits aside until it hangs up. */
  private legReferred(leg: Leg, target: string, replaces: string | undefined, report: (status: number, reason: string) => void): void {
    if (leg !== this.active || this.state !== 'talking' || this.other || this.waiting) {
      report(603, 'Declined');
      return;
    }
    this.log.info({ leg: leg.id, target, attended: replaces !== undefined }, 'transferred by the far end');
    this.active = undefined;
    this.other = leg;
    leg.transferring = true;
    const next = placeCall(this, target, replaces ? { replaces } : {});
    if (!next) {
      report(503, 'Service Unavailable');
      leg.transferring = false;
      return;
    }
    next.consult = false;
    next.referReport = report;
  }

  private transferProgress(leg: Leg, status: number, final: boolean): void {
    if (status < 200 && !final) return;
    const ok = status >= 200 && status < 300;
    leg.transferring = false;
    this.transferring.delete(leg);
    if (ok) {
      this.log.info({ leg: leg.id }, 'transfer succeeded');
      for (const l of this.allLegs()) if (l === leg || l.replacedBy === leg) this.hangup(l);
      if (this.state === 'recall' && !this.other) this.transition('idle');
      return;
    }
    this.log.info({ leg: leg.id, status }, 'transfer failed: ringing back');
    for (const l of this.allLegs()) if (l.replacedBy === leg) this.hangup(l);
    if (!this.offHook && this.state === 'idle') {
      this.other = leg;
      this.transition('recall');
    } else if (!this.other && !this.active) {
      this.other = leg;
    }
  }

  // ---- entry points ----

  private onLineEvent(e: LineEvent): void {
    const h = HANDLERS[this.state];
    switch (e.type) {
      case 'offHook':
        this.offHook = true;
        h.offHook?.(this);
        return;
      case 'onHook':
        this.offHook = false;
        h.onHook?.(this);
        return;
      case 'flash':
        h.flash?.(this);
        return;
      case 'digit':
        h.digit?.(this, e.digit);
        return;
    }
  }

  /** Runs fn; on an exception logs it and brings the line to a sane state (calls ended, dial tone or idle). */
  guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log.error({ err: (e as Error).message, state: this.state }, 'FXS line error: resetting the line');
      try {
        for (const leg of this.allLegs()) this.hangup(leg);
        for (const cancel of this.timers.values()) cancel();
        this.timers.clear();
        this.opts.line.stopRing();
        this.opts.line.connect([]);
        this.voiceMenu = undefined;
        this.prompts.stop();
        this.state = this.offHook ? 'failed' : 'idle';
        this.tone(this.offHook ? this.settings().tones.reorder : undefined);
      } catch (inner) {
        this.log.error({ err: (inner as Error).message }, 'FXS line reset failed');
      }
    }
  }

  // ---- status ----

  status(): LineStatus {
    return {
      line: this.opts.lineNumber,
      state: this.state,
      callState: callStateOf(this),
      offHook: this.offHook,
      calls: this.allLegs().map((l) => ({ id: l.id, remote: l.remoteNumber, state: l.state, held: l.held, srtp: l.negotiatedMedia?.srtp !== undefined, fax: l.faxPassThrough })),
      messageWaiting: this.messageWaiting,
      dnd: this.opts.features.get().dnd,
    };
  }

  /** A message summary (RFC 3842): the indicator, and the voice mail address when it names one. */
  setMessageWaiting(waiting: boolean, messageAccount?: string): void {
    this.messageWaiting = waiting;
    if (messageAccount) this.voicemailUri = messageAccount;
    this.opts.line.setMessageWaiting(waiting);
  }

  /** @internal used by fxs-incoming */
  acceptIncoming(info: IncomingCallInfo): Leg {
    const leg = this.newLeg();
    leg.attach(info.call);
    leg.remoteNumber = info.call.remote.number ?? info.call.remote.uri;
    this.bind(leg);
    return leg;
  }
}

function callStateOf(line: FxsLine): CallState {
  switch (line.state) {
    case 'idle':
      return line.allLegs().length > 0 ? 'Disconnecting' : 'Idle';
    case 'ringing':
    case 'recall':
    case 'pstnRinging':
      return 'Ringing';
    case 'dialTone':
    case 'dialing':
      return line.other ? 'Hold' : 'Idle';
    case 'ivr':
      return 'Idle';
    case 'calling':
      return 'Calling';
    case 'talking':
    case 'conference':
    case 'flashDigit':
    case 'pstn':
      return 'InCall';
    case 'failed':
      return 'Disconnecting';
  }
}
