/**
 * A simulated PSTN central-office line: the exchange end of the PSTN loop (plugged into the FXO
 * jack, or straight to the phone through the lifeline relay). Dial tone on seizure, DTMF and
 * pulse digit collection, then per number: answer after some ringback (with polarity reversal
 * as answer supervision), busy, reorder or ring forever; incoming calls ring the line with caller
 * ID (any P853 scheme); the far end hanging up reverses polarity back, plays the disconnect tone
 * and opens the loop current for a moment, each of which can be turned off to test one FXO
 * disconnect method at a time.
 */
import type { Cancel, Clock } from '../../shared/clock';
import { toneFromString, type CadenceSegment } from '../../media/dsp/tone-generator';
import { cidDateTime } from '../../media/callerid/cid-message';
import { callerIdSequence } from '../../media/callerid/cid-sequence';
import { ExchangeLine, type ExchangeSignal, type FrameFifo } from '../exchange-line';
import { DEFAULT_HOOK_TIMINGS } from '../hook-detector';
import type { Loop } from '../loop';
import type { CallerId, LineAudio } from '../types';

export type CoState = 'idle' | 'dialTone' | 'collecting' | 'ringback' | 'busy' | 'reorder' | 'connected' | 'alerting' | 'farEndGone';

const ALLOWED: Readonly<Record<CoState, readonly CoState[]>> = {
  idle: ['dialTone', 'alerting'],
  dialTone: ['collecting', 'idle', 'reorder'],
  collecting: ['ringback', 'busy', 'reorder', 'idle'],
  ringback: ['connected', 'idle', 'reorder'],
  busy: ['idle'],
  reorder: ['idle'],
  connected: ['farEndGone', 'idle'],
  alerting: ['connected', 'idle'],
  farEndGone: ['idle'],
};

export type NumberBehaviour = 'answer' | 'busy' | 'reorder' | 'noAnswer';

export interface CentralOfficeOptions {
  readonly clock: Clock;
  /** Tone strings (North American defaults, the same as the HT813's own). */
  readonly tones?: { dial?: string; ringback?: string; busy?: string; reorder?: string; disconnect?: string };
  /** Ring cadence for incoming calls (default 2000/4000). */
  readonly ringCadence?: readonly CadenceSegment[];
  /** Caller-ID scheme on incoming calls, P853 numbering (default 0 Bellcore). */
  readonly callerIdScheme?: number;
  /** Dialling is complete after this many digits, or after `interDigitMs` without a digit. */
  readonly numberLength?: number;
  readonly interDigitMs?: number;
  /** Ringback before an 'answer' number answers (default 3000 ms). */
  readonly answerAfterMs?: number;
  /** Answer supervision and disconnect signalling (each default true). */
  readonly polarityOnAnswer?: boolean;
  readonly disconnectTone?: boolean;
  /** Loop-current interruption (open switch interval) after the far end hangs up, ms; 0 = none. Default 800. */
  readonly openSwitchMs?: number;
  /** Far end hangs up this long after answering; undefined = never by itself. */
  readonly callDurationMs?: number;
}

export class CentralOffice {
  readonly line: ExchangeLine;
  private st: CoState = 'idle';
  private digits = '';
  private digitTimer: Cancel | undefined;
  private timer: Cancel | undefined;
  private readonly behaviours = new Map<string, NumberBehaviour>();
  private readonly listeners = new Set<(s: CoState) => void>();
  /** Every number the subscriber dialled, in order. */
  readonly dialed: string[] = [];
  flashes = 0;
  /** Default behaviour of numbers not set with behaviour(). */
  defaultBehaviour: NumberBehaviour = 'answer';

  constructor(private readonly opts: CentralOfficeOptions) {
    this.line = new ExchangeLine(opts.clock, { ...DEFAULT_HOOK_TIMINGS, pulseEnabled: true }, (s) => this.onSignal(s));
  }

  get state(): CoState {
    return this.st;
  }
  /** The far end's audio: write frames the subscriber hears while connected, onFrame for what it says. */
  get farEnd(): LineAudio {
    return this.line.audio as FrameFifo;
  }
  get loop(): Loop | undefined {
    return this.line.attachedLoop;
  }

  behaviour(number: string, b: NumberBehaviour): this {
    this.behaviours.set(number, b);
    return this;
  }

  onState(fn: (s: CoState) => void): Cancel {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** An incoming call: rings the subscriber with caller ID. False when the line is busy. */
  call(cid?: CallerId): boolean {
    if (this.st !== 'idle' || this.line.offHook) return false;
    this.transition('alerting');
    const cadence = this.opts.ringCadence ?? [{ onMs: 2000, offMs: 4000 }];
    if (!cid) {
      this.line.startRinging(cadence);
      return true;
    }
    const scheme = this.opts.callerIdScheme ?? 0;
    const full: CallerId = { ...cid, dateTime: cid.dateTime ?? cidDateTime(this.opts.clock.now()) };
    const first = cadence[0] ?? { onMs: 2000, offMs: 4000 };
    const steps = callerIdSequence(scheme, full, { firstRingMs: first.onMs });
    if ([0, 1, 5, 10, 14, 15].includes(scheme)) this.line.startRinging(cadence, steps, 1, first.onMs + first.offMs);
    else this.line.startRinging(cadence, steps, 0);
    return true;
  }

  /** The caller of an unanswered incoming call gives up. */
  callerAbandons(): void {
    if (this.st !== 'alerting') return;
    this.line.stopRinging('stopped', false);
    this.transition('idle');
  }

  /** The far end hangs up a connected call. */
  farEndHangUp(): void {
    if (this.st !== 'connected') return;
    this.clearTimer();
    this.transition('farEndGone');
    this.line.setCallPolarity(false);
    if (this.opts.disconnectTone ?? true) this.line.playTone(toneFromString(this.opts.tones?.disconnect ?? this.opts.tones?.busy ?? BUSY));
    const osi = this.opts.openSwitchMs ?? 800;
    if (osi > 0) {
      this.timer = this.opts.clock.setTimer(2000, () => {
        this.line.setBattery(false);
        this.timer = this.opts.clock.setTimer(osi, () => {
          this.timer = undefined;
          this.line.setBattery(true);
        });
      });
    }
  }

  private onSignal(s: ExchangeSignal): void {
    switch (s.type) {
      case 'offHook':
        if (this.st === 'alerting') {
          this.transition('connected');
          this.armCallDuration();
        } else if (this.st === 'idle') {
          this.digits = '';
          this.transition('dialTone');
          this.line.playTone(toneFromString(this.opts.tones?.dial ?? DIAL));
        }
        return;
      case 'onHook':
        this.clearTimer();
        this.digitTimerCancel();
        this.line.stopTone();
        this.line.setCallPolarity(false);
        this.line.setBattery(true);
        if (this.st !== 'idle') this.transition('idle');
        return;
      case 'flash':
        this.flashes++;
        return;
      case 'pulseDigit':
      case 'dtmf':
        this.digit(s.digit);
        return;
      case 'ringStopped':
        return;
    }
  }

  private digit(d: string): void {
    if (this.st !== 'dialTone' && this.st !== 'collecting') return;
    if (this.st === 'dialTone') {
      this.line.stopTone();
      this.transition('collecting');
    }
    this.digits += d;
    this.digitTimerCancel();
    if (this.opts.numberLength !== undefined && this.digits.length >= this.opts.numberLength) this.route();
    else this.digitTimer = this.opts.clock.setTimer(this.opts.interDigitMs ?? 4000, () => this.route());
  }

  private route(): void {
    this.digitTimerCancel();
    const number = this.digits;
    this.dialed.push(number);
    const b = this.behaviours.get(number) ?? this.defaultBehaviour;
    const tones = this.opts.tones ?? {};
    switch (b) {
      case 'busy':
        this.transition('busy');
        this.line.playTone(toneFromString(tones.busy ?? BUSY));
        return;
      case 'reorder':
        this.transition('reorder');
        this.line.playTone(toneFromString(tones.reorder ?? REORDER));
        return;
      case 'answer':
      case 'noAnswer':
        this.transition('ringback');
        this.line.playTone(toneFromString(tones.ringback ?? RINGBACK));
        if (b === 'answer') this.timer = this.opts.clock.setTimer(this.opts.answerAfterMs ?? 3000, () => this.answer());
        return;
    }
  }

  private answer(): void {
    this.timer = undefined;
    if (this.st !== 'ringback') return;
    this.line.stopTone();
    this.transition('connected');
    if (this.opts.polarityOnAnswer ?? true) this.line.setCallPolarity(true);
    this.armCallDuration();
  }

  private armCallDuration(): void {
    const d = this.opts.callDurationMs;
    if (d !== undefined) this.timer = this.opts.clock.setTimer(d, () => this.farEndHangUp());
  }

  private transition(to: CoState): void {
    if (!ALLOWED[this.st].includes(to)) throw new Error(`central office: ${this.st} → ${to} not allowed`);
    this.st = to;
    for (const l of [...this.listeners]) l(to);
  }

  private clearTimer(): void {
    this.timer?.();
    this.timer = undefined;
  }

  private digitTimerCancel(): void {
    this.digitTimer?.();
    this.digitTimer = undefined;
  }
}

const DIAL = 'f1=350@-17,f2=440@-17,c=0/0;';
const RINGBACK = 'f1=440@-17,f2=480@-17,c=2000/4000;';
const BUSY = 'f1=480@-21,f2=620@-21,c=500/500;';
const REORDER = 'f1=480@-21,f2=620@-21,c=250/250;';
