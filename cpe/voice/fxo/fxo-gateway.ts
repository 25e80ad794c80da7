/**
 * The FXO port as a gateway between SIP account 2 and the PSTN line (user guide "VoIP-to-PSTN
 * Calls", "PSTN-to-VoIP Calls", "Forward Calls to PSTN / to VoIP", "One Stage Dialing").
 *
 * VoIP → PSTN: an INVITE to account 2 is answered; with a PIN (P794) the caller hears the PIN
 * prompt and has 3 tries (`#` or 4 s ends an entry, 10 s without a valid PIN hangs up); then the
 * line is seized and bridged. The number dialed on the line is P796 when set, else (P3304 one
 * stage) the Request-URI's user part, else the caller dials it through the bridge (two stage:
 * their digits reach the line as tones, RFC 4733 and SIP INFO digits as our own synthesis).
 *
 * PSTN calls first ring the FXS phone (P842, P843 s after the first ring, with the caller ID
 * the line delivered); lifting it answers the line for the phone.
 *
 * PSTN → VoIP: after P798 rings (the phone not lifted) the line is answered; with a PIN (P795) the caller enters it
 * first; then either P3305–P3307 is called at once, or the caller hears dial tone and dials the
 * VoIP number (`#`, or P292 s after the last digit, P840 s for the first), which account 2 calls
 * while the caller hears ringback; the call is bridged when answered.
 *
 * The FXS phone reaches the line too (PstnLine): an `L:` dial-plan route seizes it and dials the
 * number, the access code P195 alone puts the phone on the line to dial there itself; a hook
 * flash goes on to the line when P837 says so.
 *
 * Either side hanging up (BYE, or the FXO port's disconnect detection) ends both. Digits are
 * read from the audio by one DTMF detector per direction, so in-band, RFC 4733 and SIP INFO
 * digits are all heard the same way. The PSTN caller's ID goes to VoIP as P839 says (From,
 * P-Asserted-Identity, P-Preferred-Identity, anonymous, or not at all). After each call the line
 * rests P4356 s before it may be seized to call out.
 */
import { DtmfDetector } from '../../media/dsp/dtmf-detector';
import { ToneGenerator, toneFromString } from '../../media/dsp/tone-generator';
import type { MediaClock } from '../../media/media-clock';
import type { FxoEvent, FxoPort } from '../../hw/types';
import type { Cancel, Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { Random } from '../../shared/random';
import type { AudioSession } from '../calls/hw-line-port';
import { codecPreference, packetTimeMs } from '../sdp/codecs';
import type { ParamReader } from '../fxs/fxs-settings';
import { Leg } from '../fxs/leg';
import { readFaxSettings } from '../fxs/fax-pass-through';
import type { CallEvents, CallSignalling, IncomingCallInfo, PstnAlerting, PstnCall, PstnLine, SignallingCall } from '../fxs/ports';
import { PIN_PROMPT_TONE, readFxoGatewaySettings, type FxoGatewaySettings } from './fxo-settings';

/** `local`: the FXS phone is on the line (`L:` route, P195), see PstnLine. */
export type FxoGatewayState = 'idle' | 'voipPin' | 'pstnPin' | 'pstnDigits' | 'pstnCalling' | 'bridged' | 'failing' | 'local';

const ALLOWED: Readonly<Record<FxoGatewayState, readonly FxoGatewayState[]>> = {
  idle: ['voipPin', 'bridged', 'pstnPin', 'pstnDigits', 'pstnCalling', 'local'],
  local: ['idle'],
  voipPin: ['bridged', 'idle'],
  pstnPin: ['pstnDigits', 'pstnCalling', 'idle'],
  pstnDigits: ['pstnCalling', 'idle'],
  pstnCalling: ['bridged', 'failing', 'idle'],
  bridged: ['idle'],
  failing: ['idle'],
};

/** User guide: 3 tries for the PIN, 10 s to enter a valid one, `#` or 4 s ends an entry. */
const PIN_TRIES = 3;
const PIN_TIMEOUT_MS = 10_000;
const PIN_DIGIT_MS = 4000;
/** How long we wait for the PSTN dial tone (P3303) before dialing anyway [?]. */
const DIAL_TONE_WAIT_MS = 3000;
/**
 * The phone's audio stays off the line this long after seizing it [?]: the tail of the key that
 * ended the dialing (`#`, the access code's last digit) must not reach the exchange as a digit.
 */
const KEY_TAIL_MS = 250;
/** A failed PSTN→VoIP call: the line hears busy this long before it is released [?]. */
const FAIL_TONE_MS = 3000;
const FRAME = 160;
const DIALABLE = /^[0-9*#+,]+$/;

export interface FxoGatewayMedia {
  implementedCodecs(): readonly string[];
  create(address: string, port: number): AudioSession;
}

export interface FxoGatewayOptions {
  readonly fxo: FxoPort;
  readonly signalling: CallSignalling;
  readonly media: FxoGatewayMedia;
  readonly mediaClock: MediaClock;
  readonly params: ParamReader;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  readonly mediaAddress: string;
  /** P739 (plus the fleet offset): the FXO account's RTP port. */
  readonly rtpPort: () => number;
  readonly sdpUser: string;
  /** Account 2's user ID: a one-stage Request-URI naming the account itself is not a number to dial. */
  readonly accountUser: () => string;
  /** The port is in a call (FXO LED, user guide table 4). */
  busy?(busy: boolean): void;
}

export interface FxoGatewayStatus {
  readonly state: FxoGatewayState;
  readonly direction?: 'voipToPstn' | 'pstnToVoip' | 'local';
  readonly remote?: string;
  readonly srtp?: boolean;
  /** The call is in fax pass-through (P710, P4417). */
  readonly fax?: boolean;
}

interface Active {
  readonly direction: 'voipToPstn' | 'pstnToVoip' | 'local';
  /** The FXS phone's call on the line: told when the far end hangs up. */
  local?: { ended(reason: string): void };
  leg?: Leg;
  call?: SignallingCall;
  remote?: string;
  /** The far end of a PSTN→VoIP call sent early media (183 with SDP): play it, not ringback. */
  early: boolean;
}

export class FxoGateway implements PstnLine {
  private st: FxoGatewayState = 'idle';
  private active: Active | undefined;
  private settings: FxoGatewaySettings;
  private readonly offFxo: Cancel;
  private tick: (() => void) | undefined;
  private tone: ToneGenerator | undefined;
  private detector = new DtmfDetector();
  private lineIn: Int16Array[] = [];
  private offLineAudio: Cancel | undefined;
  private entry = '';
  private tries = 0;
  /** The PIN's last digit may still sound when the bridge opens: keep it off the line until it ends. */
  private holdDigit = false;
  /** Dials the pending number when the PSTN dial tone is heard (P3303). */
  private awaitDialTone: (() => void) | undefined;
  /** A number is still to be dialed on the line (or going out): other audio stays off it. */
  private dialPending = false;
  /** The FXS phone, rung for PSTN calls (P842) once attached. */
  private phone: PstnAlerting | undefined;
  private phoneRinging = false;
  /** P4356: no outgoing seizure before this time (the line rests after each call). */
  private restUntil = 0;
  /** The phone's audio is kept off the line until then (KEY_TAIL_MS). */
  private phoneMutedUntil = 0;
  private timers = new Map<string, Cancel>();
  private legSeq = 0;

  constructor(private readonly opts: FxoGatewayOptions) {
    this.settings = readFxoGatewaySettings(opts.params);
    this.offFxo = opts.fxo.on((e) => this.guard(() => this.onFxo(e)));
    opts.signalling.onIncoming((info) => this.guard(() => this.onIncoming(info)));
  }

  get state(): FxoGatewayState {
    return this.st;
  }

  status(): FxoGatewayStatus {
    const a = this.active;
    return { state: this.st, ...(a ? { direction: a.direction, ...(a.remote ? { remote: a.remote } : {}), srtp: a.leg?.negotiatedMedia?.srtp !== undefined, fax: a.leg?.faxPassThrough === true } : {}) };
  }

  stop(): void {
    this.offFxo();
    this.end('service stopped');
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.opts.log.error({ err: (e as Error).message }, 'fxo gateway: event failed; the call is ended');
      this.end('internal error');
    }
  }

  private transition(to: FxoGatewayState): void {
    if (this.st === to) return;
    if (!ALLOWED[this.st].includes(to)) throw new Error(`fxo gateway: ${this.st} → ${to} not allowed`);
    this.opts.log.info({ from: this.st, to }, 'fxo gateway');
    this.st = to;
  }

  // ---- VoIP → PSTN ----

  private onIncoming(info: IncomingCallInfo): void {
    const call = info.call;
    if (this.st !== 'idle' || this.opts.fxo.state !== 'idle') {
      call.reject(486, 'Busy Here');
      return;
    }
    if (this.opts.fxo.linePresent === false) {
      call.reject(503, 'No PSTN Line');
      return;
    }
    if (this.resting()) {
      call.reject(486, 'Busy Here');
      return;
    }
    this.settings = readFxoGatewaySettings(this.opts.params);
    const leg = this.newLeg();
    const answer = leg.answer(info.offer);
    if ('status' in answer) {
      leg.end();
      call.reject(answer.status);
      return;
    }
    this.active = { direction: 'voipToPstn', leg, call, remote: call.remote.number ?? call.remote.uri, early: false };
    leg.attach(call);
    call.setEvents(this.events(leg));
    this.opts.busy?.(true);
    call.ringing();
    call.accept(answer.sdp);
    this.startTicking();
    if (this.settings.pinVoipToPstn !== '') {
      this.transition('voipPin');
      this.askPin();
      return;
    }
    this.toPstn(info.requestUser);
  }

  /** After the PIN (or without one): seize, bridge, and dial the number when we know it. */
  private toPstn(requestUser: string | undefined): void {
    const s = this.settings;
    const oneStage = s.stage === 1 && requestUser !== undefined && DIALABLE.test(requestUser) && requestUser !== this.opts.accountUser() ? requestUser : undefined;
    const number = s.forwardToPstn !== '' ? s.forwardToPstn : oneStage;
    this.seize();
    this.transition('bridged');
    if (number !== undefined) this.dialOut(number); // else two stage: the caller dials through the bridge
  }

  /** Dials `number` on the seized line once its dial tone is heard (P3303, at most 3 s) and P3206 ms later. */
  private dialOut(number: string): void {
    const s = this.settings;
    let dialed = false;
    this.dialPending = true;
    const dial = (): void => {
      if (dialed || (this.st !== 'bridged' && this.st !== 'local')) return;
      dialed = true;
      this.clearTimer('dialTone');
      this.arm('dialDelay', s.dialDelayMs, () => {
        this.opts.log.info({ number }, 'fxo gateway: dialing the PSTN number');
        this.opts.fxo.dial(number).then(
          () =>
            this.guard(() => {
              this.dialPending = false;
              if (this.opts.fxo.state === 'seized') this.opts.fxo.setConnected();
            }),
          (e: unknown) => this.guard(() => this.end(`dialing failed: ${String(e)}`)),
        );
      });
    };
    this.awaitDialTone = s.waitForDialTone ? dial : undefined;
    if (s.waitForDialTone) this.arm('dialTone', DIAL_TONE_WAIT_MS, dial);
    else dial();
  }

  // ---- the FXS phone on the line ----

  /**
   * P4356: the line rests after a call before it may be seized to call out. Choice [?]: an
   * outgoing seizure asked for meanwhile is refused (486 to VoIP, reorder to the phone) rather
   * than queued; incoming PSTN calls are answered as usual.
   */
  private resting(): boolean {
    this.settings = readFxoGatewaySettings(this.opts.params);
    return this.opts.clock.now() < this.restUntil;
  }

  /** The FXS line to ring for PSTN calls (P842). */
  attachPhone(phone: PstnAlerting): void {
    this.phone = phone;
  }

  private ringPhone(): void {
    if (this.st !== 'idle' || this.opts.fxo.state !== 'ringing' || !this.phone) return;
    const cid = this.opts.fxo.callerId;
    const info = cid
      ? { time: this.opts.clock.now(), ...(cid.number ? { number: cid.number } : {}), ...(cid.name ? { name: cid.name } : {}), ...(cid.numberAbsent === 'P' ? { private: true } : {}) }
      : undefined;
    this.phoneRinging = this.phone.alertPstn(info);
  }

  private stopPhoneRinging(): void {
    if (!this.phoneRinging) return;
    this.phoneRinging = false;
    this.phone?.endPstnAlert();
  }

  /** PstnLine: the phone was lifted while it rang for the PSTN call: answer the line for it. */
  answer(events: { ended(reason: string): void }): PstnCall | undefined {
    this.phoneRinging = false;
    this.clearTimer('ringThrough');
    if (this.st !== 'idle' || this.opts.fxo.state !== 'ringing') return undefined;
    const cid = this.opts.fxo.callerId?.number;
    this.active = { direction: 'local', early: false, local: events, ...(cid ? { remote: cid } : {}) };
    this.opts.busy?.(true);
    this.seize();
    this.transition('local');
    this.phoneMutedUntil = 0;
    return this.localCall();
  }

  /** PstnLine: the FXS phone's `L:` route or P195 access code. */
  call(number: string, events: { ended(reason: string): void }): PstnCall | undefined {
    if (this.st !== 'idle' || this.opts.fxo.state !== 'idle' || this.opts.fxo.linePresent === false || this.resting()) return undefined;
    this.settings = readFxoGatewaySettings(this.opts.params);
    this.active = { direction: 'local', early: false, local: events, ...(number !== '' ? { remote: number } : {}) };
    this.opts.busy?.(true);
    this.seize();
    this.transition('local');
    this.phoneMutedUntil = this.opts.clock.now() + KEY_TAIL_MS;
    if (number !== '') this.dialOut(number);
    return this.localCall();
  }

  private localCall(): PstnCall {
    return {
      media: this.lineMedia(),
      hangup: () => this.guard(() => {
        if (this.active?.direction !== 'local') return;
        this.active.local = undefined; // the phone itself hung up: nothing to tell it
        this.end('phone hung up');
      }),
      flash: () => this.guard(() => {
        if (this.st === 'local' && this.settings.sendFlash) void this.opts.fxo.flash();
      }),
    };
  }

  /** The seized line as a media session with a port (what LinePort.connect plays to the phone). */
  private lineMedia(): AudioSession {
    return {
      localAddress: '',
      localPort: 0,
      port: {
        readFrame: () => this.lineIn.shift() ?? new Int16Array(FRAME),
        writeFrame: (f) => {
          if (this.st !== 'local' || this.dialPending || this.opts.clock.now() < this.phoneMutedUntil) return;
          this.opts.fxo.audio.write(f);
        },
      },
      update: () => undefined,
      sendDigit: () => undefined,
      stop: () => undefined,
    };
  }

  // ---- PSTN → VoIP ----

  private onFxo(e: FxoEvent): void {
    switch (e.type) {
      case 'ring':
        if (this.st !== 'idle') return;
        if (e.count >= this.ringsNeeded()) {
          this.stopPhoneRinging();
          this.answerPstn();
        } else if (e.count === 1 && this.settings.ringThrough && this.phone) {
          // P843: the phone starts ringing after the delay (the caller ID comes after the 1st ring)
          this.arm('ringThrough', this.settings.ringThroughDelayMs, () => this.ringPhone());
        }
        return;
      case 'ringStopped':
        this.clearTimer('ringThrough');
        this.stopPhoneRinging();
        return;
      case 'dialTone':
        this.awaitDialTone?.();
        this.awaitDialTone = undefined;
        return;
      case 'disconnect':
        if (this.st !== 'idle') this.end(`PSTN side hung up (${e.cause})`);
        return;
      case 'state':
        if (e.state === 'idle' && this.st !== 'idle' && this.active?.direction === 'pstnToVoip' && this.st !== 'failing') this.end('PSTN line released');
        return;
      default:
        return;
    }
  }

  private ringsNeeded(): number {
    this.settings = readFxoGatewaySettings(this.opts.params);
    return this.settings.ringsBeforeAnswer;
  }

  private answerPstn(): void {
    const s = this.settings;
    if (!this.opts.signalling.canCall()) {
      this.opts.log.info({}, 'fxo gateway: account 2 cannot call now; the PSTN call is left ringing');
      return;
    }
    this.active = { direction: 'pstnToVoip', early: false, ...(this.opts.fxo.callerId?.number ? { remote: this.opts.fxo.callerId.number } : {}) };
    this.opts.busy?.(true);
    this.seize();
    this.startTicking();
    if (s.pinPstnToVoip !== '') {
      this.transition('pstnPin');
      this.askPin();
      return;
    }
    this.afterPstnPin();
  }

  private afterPstnPin(): void {
    const f = this.settings.forwardToVoip;
    if (f) {
      this.callVoip(f.server !== '' ? `sip:${f.user}@${f.server}${f.port !== 5060 ? `:${f.port}` : ''}` : f.user);
      return;
    }
    this.transition('pstnDigits');
    this.entry = '';
    this.tone = new ToneGenerator(toneFromString(this.settings.tones.dial));
    this.arm('digit', this.settings.firstDigitMs, () => this.end('no number dialed'));
  }

  private callVoip(target: string): void {
    this.transition('pstnCalling');
    this.clearTimer('digit');
    this.tone = new ToneGenerator(toneFromString(this.settings.tones.ringback));
    const leg = this.newLeg();
    const a = this.active!;
    a.leg = leg;
    a.remote = target;
    // P839: the PSTN caller's ID (decoded on the line before answering) goes on to VoIP
    const t = this.settings.callerIdTransport;
    const cid = this.opts.fxo.callerId;
    const number = cid?.number;
    const name = cid?.name;
    const callerId = (t === 'from' || t === 'pai' || t === 'ppi') && (number || name) ? { callerId: { via: t, ...(number ? { number } : {}), ...(name ? { name } : {}) } } : {};
    let call: SignallingCall;
    try {
      call = this.opts.signalling.invite({ target, offer: leg.offer(), anonymous: t === 'anonymous' || cid?.numberAbsent === 'P', ...callerId });
    } catch (e) {
      this.opts.log.warn({ target, err: (e as Error).message }, 'fxo gateway: cannot place the VoIP call');
      this.fail();
      return;
    }
    a.call = call;
    leg.attach(call);
    call.setEvents(this.events(leg));
    this.arm('noAnswer', this.settings.ringNoAnswerMs, () => {
      this.opts.log.info({ target }, 'fxo gateway: no answer (P848)');
      call.hangup();
      this.fail();
    });
  }

  /** The PSTN caller hears busy for a moment, then the line is released. */
  private fail(): void {
    if (this.st === 'failing' || this.st === 'idle') return;
    this.transition('failing');
    this.active?.leg?.end();
    this.tone = new ToneGenerator(toneFromString(this.settings.tones.busy));
    this.arm('fail', FAIL_TONE_MS, () => this.end('VoIP call failed'));
  }

  // ---- PIN and digits ----

  private askPin(): void {
    this.entry = '';
    this.tone = new ToneGenerator(toneFromString(PIN_PROMPT_TONE));
    this.arm('pin', PIN_TIMEOUT_MS, () => this.end('no valid PIN within 10 s'));
  }

  private onDigit(d: string): void {
    if (this.st === 'voipPin' || this.st === 'pstnPin') {
      this.clearTimer('pinDigit');
      if (d === '#') return this.pinEntered();
      this.entry += d;
      this.arm('pinDigit', PIN_DIGIT_MS, () => this.pinEntered());
      return;
    }
    if (this.st === 'pstnDigits') {
      this.tone = undefined; // dial tone stops at the first digit
      if (d === '#') return this.digitsDone();
      this.entry += d;
      this.arm('digit', this.settings.interDigitMs, () => this.digitsDone());
    }
  }

  private pinEntered(): void {
    const pin = this.st === 'voipPin' ? this.settings.pinVoipToPstn : this.settings.pinPstnToVoip;
    const ok = this.entry === pin;
    this.entry = '';
    if (ok) {
      this.clearTimer('pin');
      this.opts.log.info({ direction: this.active?.direction }, 'fxo gateway: PIN accepted');
      if (this.st === 'voipPin') {
        this.holdDigit = true;
        this.toPstn(undefined);
      } else this.afterPstnPin();
      return;
    }
    if (++this.tries >= PIN_TRIES) return this.end('wrong PIN 3 times');
    this.opts.log.info({ tries: this.tries }, 'fxo gateway: wrong PIN');
  }

  private digitsDone(): void {
    const number = this.entry;
    this.entry = '';
    if (number === '') return this.end('no number dialed');
    this.callVoip(number);
  }

  // ---- the call's SIP events ----

  private events(leg: Leg): CallEvents {
    const g = <A extends unknown[]>(fn: (...a: A) => void) => (...a: A) => this.guard(() => fn(...a));
    return {
      progress: g((_status: number, sdp: string | undefined) => {
        if (sdp && leg.applyAnswer(sdp) && this.active) this.active.early = true;
      }),
      answered: g((sdp: string | undefined) => {
        if (this.active?.direction === 'pstnToVoip') {
          if (!leg.applyAnswer(sdp)) {
            this.active.call?.hangup();
            return this.fail();
          }
          this.clearTimer('noAnswer');
          this.tone = undefined;
          this.transition('bridged');
          this.opts.fxo.setConnected();
        }
        leg.confirmed();
      }),
      failed: g((status: number, reason: string) => {
        this.opts.log.info({ status, reason }, 'fxo gateway: VoIP call failed');
        this.clearTimer('noAnswer');
        this.fail();
      }),
      ended: g((reason: string) => this.end(`VoIP side: ${reason}`)),
      offer: (sdp) => leg.answer(sdp),
      reofferResult: g((status: number, sdp: string | undefined) => leg.reofferResult(status, sdp)),
      transferProgress: () => undefined,
      dtmf: g((digit: string, ms: number) => leg.media.playDigit?.(digit, ms)),
    };
  }

  // ---- audio ----

  private newLeg(): Leg {
    const s = this.settings;
    const codecs = codecPreference(s.vocoders, { ilbc: 97, opus: 123, ilbcFrame: 0 }, this.opts.media.implementedCodecs());
    const media = this.opts.media.create(this.opts.mediaAddress, this.opts.rtpPort());
    return new Leg(
      `fxo.${++this.legSeq}`,
      media,
      { username: this.opts.sdpUser, sessionId: String((this.opts.clock.now() % 1e9) + this.legSeq), codecs, ptimeMs: packetTimeMs(s.framesPerTx, codecs[0]), telephoneEventPt: s.dtmfPayloadType },
      { clock: this.opts.clock, random: this.opts.random, log: this.opts.log },
      () => readFaxSettings(this.opts.params, 2),
    );
  }

  private seize(): void {
    this.opts.fxo.seize();
    this.lineIn = [];
    this.offLineAudio = this.opts.fxo.audio.onFrame((f) => {
      this.lineIn.push(f);
      if (this.lineIn.length > 5) this.lineIn.shift();
    });
  }

  private startTicking(): void {
    this.detector = new DtmfDetector();
    this.tick ??= this.opts.mediaClock.onTick(() => this.guard(() => this.onTick()));
  }

  /** Every 20 ms: prompts and ringback from our tone, bridged audio both ways, digits heard. */
  private onTick(): void {
    const lineIn = this.lineIn.shift() ?? new Int16Array(FRAME);
    const session = this.active?.leg?.media as AudioSession | undefined;
    const voipIn = session?.port.readFrame();
    const toneFrame = (): Int16Array => this.tone?.read(new Int16Array(FRAME)) ?? new Int16Array(FRAME);
    let heard: Int16Array | undefined;
    switch (this.st) {
      case 'voipPin':
        session?.port.writeFrame(toneFrame());
        heard = voipIn;
        break;
      case 'pstnPin':
      case 'pstnDigits':
        this.opts.fxo.audio.write(toneFrame());
        heard = lineIn;
        break;
      case 'pstnCalling':
        this.opts.fxo.audio.write(this.active?.early && voipIn ? voipIn : toneFrame());
        session?.port.writeFrame(lineIn);
        break;
      case 'failing':
        this.opts.fxo.audio.write(toneFrame());
        break;
      case 'bridged':
        session?.port.writeFrame(lineIn);
        if (voipIn && this.holdDigit) {
          this.detector.push(voipIn);
          this.holdDigit = this.detector.digit !== undefined;
          if (this.holdDigit) break;
        }
        // while the port dials (one stage, forward), the caller's audio stays off the line
        if (voipIn && !this.dialPending) this.opts.fxo.audio.write(voipIn);
        break;
      case 'idle':
        return;
    }
    if (heard) for (const e of this.detector.push(heard)) if (e.endSample === undefined) this.onDigit(e.digit);
  }

  // ---- timers and the end ----

  private arm(name: string, ms: number, fn: () => void): void {
    this.clearTimer(name);
    this.timers.set(name, this.opts.clock.setTimer(ms, () => {
      this.timers.delete(name);
      this.guard(fn);
    }));
  }

  private clearTimer(name: string): void {
    this.timers.get(name)?.();
    this.timers.delete(name);
  }

  /** Ends whatever is in progress: hangs the SIP call up, releases the line, stops the audio. */
  private end(reason: string): void {
    if (this.st === 'idle' && !this.active) return;
    this.opts.log.info({ reason, state: this.st }, 'fxo gateway: call ended');
    for (const c of this.timers.values()) c();
    this.timers.clear();
    const a = this.active;
    this.active = undefined;
    this.awaitDialTone = undefined;
    this.dialPending = false;
    a?.local?.ended(reason);
    this.tone = undefined;
    this.entry = '';
    this.tries = 0;
    this.holdDigit = false;
    this.transition('idle');
    this.tick?.();
    this.tick = undefined;
    this.offLineAudio?.();
    this.offLineAudio = undefined;
    this.lineIn = [];
    a?.call?.hangup();
    a?.leg?.end();
    if (this.opts.fxo.state !== 'idle') {
      this.opts.fxo.release();
      this.restUntil = this.opts.clock.now() + this.settings.idleWaitMs;
    }
    this.opts.busy?.(false);
  }
}
