/**
 * The simulated FXS port (SLIC + DSP of the unit's phone line): hook, flash and dial-pulse
 * decoding by the P251/P252/P833/P20521 timings, DTMF reception, ringing with the P4040 /
 * P4010-P4019 cadences and distinctive ring P870-P875, caller ID per P853 synthesised as audio by
 * media/callerid, call-waiting caller ID (type 2), polarity reversal P205, visual MWI P855/P4371,
 * loop-current disconnect P892/P856/P21925.
 */
import type { Cancel, Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { decodeCadence } from '../params/syntax/tone-string';
import { toneFromString, type CadenceSegment, type ToneDefinition } from '../media/dsp/tone-generator';
import { DtmfDetector } from '../media/dsp/dtmf-detector';
import { fskBurst, type FskStandard } from '../media/dsp/fsk-modem';
import { cidDateTime, encodeCidMessage, mwiToMdmf } from '../media/callerid/cid-message';
import { callerIdSequence, callWaitingAlert, callWaitingFsk } from '../media/callerid/cid-sequence';
import { ExchangeLine, gainDb, type ExchangeSignal } from './exchange-line';
import type { Loop } from './loop';
import type { FxsConfig } from './config';
import type { CallerId, FxsEvent, FxsPort, HookState, LineAudio, RingRequest } from './types';

/** Schemes that send caller ID after the first ring (P853 values, reference §7). */
const DURING_RING = new Set([0, 1, 5, 10, 14, 15]);
/** GR-30 type 2: the phone must acknowledge the CAS within 160 ms (frame phase adds up to 40 ms here). */
const CW_ACK_WINDOW_MS = 160 + 40;
/** GR-30 type 2: FSK starts 50-500 ms after the acknowledgement. */
const CW_FSK_DELAY_MS = 60;
/** How long the busy tone plays before a loop-current disconnect when P21925 asks for it (our choice). */
const BUSY_BEFORE_DISCONNECT_MS = 3000;

export function fskStandardOf(scheme: number): FskStandard {
  return scheme === 0 ? 'bell202' : 'v23';
}

export class SimFxsPort implements FxsPort {
  readonly line: ExchangeLine;
  private cfg: FxsConfig;
  private readonly listeners = new Set<(e: FxsEvent) => void>();
  private cwAckWait: { resolve: (acked: boolean) => void; detector: DtmfDetector; untap: Cancel; timer: Cancel } | undefined;
  private mwi = false;
  private mwiPending = false;
  private disconnectTimer: Cancel | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    cfg: FxsConfig,
  ) {
    this.cfg = cfg;
    this.line = new ExchangeLine(clock, cfg.hook, (s) => this.onSignal(s));
    this.applyGains();
  }

  /** P249 RX gain on the voice toward the phone, P247 TX gain on the voice from it. */
  private applyGains(): void {
    this.line.audio.setGains(gainDb(this.cfg.rxGain), gainDb(this.cfg.txGain));
  }

  /** New P-values, applied without restart (timings from the next hook edge, cadences from the next ring). */
  configure(cfg: FxsConfig): void {
    this.cfg = cfg;
    this.line.hookDetector.configure(cfg.hook);
    this.applyGains();
  }

  get config(): FxsConfig {
    return this.cfg;
  }

  get hook(): HookState {
    return this.line.offHook ? 'offHook' : 'onHook';
  }
  get ringing(): boolean {
    return this.line.ringing;
  }
  get messageWaiting(): boolean {
    return this.mwi;
  }
  get audio(): LineAudio {
    return this.line.audio;
  }
  get loop(): Loop | undefined {
    return this.line.attachedLoop;
  }

  on(listener: (e: FxsEvent) => void): Cancel {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The lifeline relay took the phone away (engaged) or gave it back. */
  notifyLifeline(engaged: boolean): void {
    this.emit({ type: 'lifeline', engaged });
  }

  private emit(e: FxsEvent): void {
    this.log.debug({ event: e }, 'fxs event');
    for (const l of [...this.listeners]) l(e);
  }

  private onSignal(s: ExchangeSignal): void {
    switch (s.type) {
      case 'offHook':
        this.cancelDisconnect();
        this.emit({ type: 'offHook' });
        return;
      case 'onHook':
        this.line.stopTone();
        this.line.setCallPolarity(false);
        this.cancelCwAck(false);
        this.emit({ type: 'onHook' });
        if (this.mwiPending) this.sendVmwi();
        return;
      case 'flash':
        this.emit({ type: 'flash' });
        return;
      case 'pulseDigit':
        this.emit({ type: 'digit', digit: s.digit, method: 'pulse' });
        return;
      case 'dtmf':
        if (this.cwAckWait && (s.digit === 'A' || s.digit === 'D')) return;
        this.emit({ type: 'digit', digit: s.digit, method: 'dtmf' });
        return;
      case 'ringStopped':
        this.emit({ type: 'ringStopped', reason: s.reason });
        return;
    }
  }

  // ---- ringing and caller ID ----

  /** The cadence for a ring request: explicit, a ring tone index, the distinctive ring, or P4040. */
  cadenceFor(req: RingRequest): CadenceSegment[] {
    let s = this.cfg.systemRing;
    if (typeof req.cadence === 'string') s = req.cadence;
    else if (typeof req.cadence === 'number') s = this.cfg.ringTones[req.cadence - 1] ?? s;
    else {
      const n = req.callerId?.number;
      const match = n ? this.cfg.distinctive.find((d) => d.callerId !== '' && d.callerId === n) : undefined;
      if (match) s = this.cfg.ringTones[match.ringTone] ?? s;
    }
    try {
      return [...decodeCadence(s).segments];
    } catch (e) {
      this.log.warn({ cadence: s, err: (e as Error).message }, 'bad ring cadence, using 2000/4000');
      return [{ onMs: 2000, offMs: 4000 }];
    }
  }

  /** Called before ringing (the service lets the lifeline relay give the phone back first). */
  beforeRing: () => void = () => undefined;

  ring(req: RingRequest = {}): void {
    this.beforeRing();
    if (this.line.offHook) {
      this.log.debug({}, 'ring ignored: phone off-hook');
      return;
    }
    const segs = this.cadenceFor(req);
    const loop = this.line.attachedLoop;
    if (loop) loop.ringHz = this.cfg.ringHz;
    if (!req.callerId) {
      this.line.startRinging(segs);
      return;
    }
    const scheme = this.cfg.cidScheme;
    const cid: CallerId = { ...req.callerId, dateTime: req.callerId.dateTime ?? cidDateTime(this.clock.now()) };
    const first = segs.find((s) => s.onMs > 0) ?? { onMs: 2000, offMs: 4000 };
    let steps;
    try {
      steps = callerIdSequence(scheme, cid, { firstRingMs: first.onMs, dtmfStart: this.cfg.dtmfCidStart, dtmfStop: this.cfg.dtmfCidStop });
    } catch (e) {
      this.log.warn({ scheme, err: (e as Error).message }, 'caller ID scheme not usable, ringing without caller ID');
      this.line.startRinging(segs);
      return;
    }
    if (DURING_RING.has(scheme)) this.line.startRinging(segs, steps, segs.indexOf(first) + 1, first.onMs + first.offMs);
    else this.line.startRinging(segs, steps, 0);
  }

  stopRing(): void {
    this.line.stopRinging('stopped');
  }

  // ---- tones ----

  playTone(tone: string | ToneDefinition, opts: { readonly durationMs?: number } = {}): void {
    this.line.playTone(typeof tone === 'string' ? toneFromString(tone) : tone, opts.durationMs);
  }

  stopTone(): void {
    this.line.stopTone();
  }

  // ---- call waiting caller ID (GR-30 type 2) ----

  sendCallWaitingId(cid: CallerId): Promise<boolean> {
    if (!this.line.offHook) return Promise.resolve(false);
    this.cancelCwAck(false);
    const full: CallerId = { ...cid, dateTime: cid.dateTime ?? cidDateTime(this.clock.now()) };
    const std = fskStandardOf(this.cfg.cidScheme);
    return new Promise<boolean>((resolve) => {
      const alertMs = this.line.sendData(callWaitingAlert());
      const detector = new DtmfDetector();
      let acked = false;
      const untap = this.line.tapUp((f) => {
        if (acked) return;
        for (const d of detector.push(f)) {
          if (d.endSample === undefined && (d.digit === 'A' || d.digit === 'D')) {
            acked = true;
            this.finishCwAck(true, full, std);
          }
        }
      });
      // The window opens when the CAS has gone out (the alert is SAS + CAS, queued now).
      const timer = this.clock.setTimer(alertMs + CW_ACK_WINDOW_MS, () => this.finishCwAck(false, full, std));
      this.cwAckWait = { resolve, detector, untap, timer };
    });
  }

  private finishCwAck(acked: boolean, cid: CallerId, std: FskStandard): void {
    const w = this.cwAckWait;
    if (!w) return;
    this.cwAckWait = undefined;
    w.untap();
    w.timer();
    if (!acked) {
      this.log.debug({}, 'call waiting caller ID: no acknowledgement from the phone');
      w.resolve(false);
      return;
    }
    this.clock.setTimer(CW_FSK_DELAY_MS, () => {
      if (!this.line.offHook) return w.resolve(false);
      const ms = this.line.sendData(callWaitingFsk(cid, std));
      this.clock.setTimer(ms + 40, () => w.resolve(true));
    });
  }

  private cancelCwAck(acked: boolean): void {
    const w = this.cwAckWait;
    if (!w) return;
    this.cwAckWait = undefined;
    w.untap();
    w.timer();
    w.resolve(acked);
  }

  // ---- polarity, MWI, disconnect ----

  setCallConnected(connected: boolean): void {
    if (!this.cfg.polarityReversal) return;
    this.line.setCallPolarity(connected);
  }

  setMessageWaiting(waiting: boolean): void {
    if (this.mwi === waiting) return;
    this.mwi = waiting;
    if (!this.cfg.visualMwi) return;
    if (this.cfg.visualMwiType === 'neon') {
      this.line.attachedLoop?.setLamp(waiting);
      return;
    }
    this.mwiPending = true;
    if (!this.line.offHook && !this.line.ringing) this.sendVmwi();
  }

  /** On-hook VMWI (GR-30 §2.3.4, EN 300 659-3 message 0x82): seizure, marks, MDMF MWI message. */
  private sendVmwi(): void {
    this.mwiPending = false;
    if (!this.cfg.visualMwi || this.cfg.visualMwiType !== 'fsk' || !this.line.attachedLoop) return;
    const bytes = encodeCidMessage(mwiToMdmf(this.mwi));
    this.line.sendData(fskBurst(bytes, { standard: fskStandardOf(this.cfg.cidScheme), seizureBits: 300, markBits: 180, dbm0: -13 }));
  }

  signalDisconnect(): void {
    if (!this.cfg.loopCurrentDisconnect || !this.line.offHook) return;
    this.cancelDisconnect();
    const drop = (): void => {
      this.line.stopTone();
      this.line.setBattery(false);
      this.disconnectTimer = this.clock.setTimer(this.cfg.loopCurrentDisconnectMs, () => {
        this.disconnectTimer = undefined;
        this.line.setBattery(true);
      });
    };
    if (this.cfg.busyBeforeDisconnect) {
      this.playTone(this.cfg.busyTone);
      this.disconnectTimer = this.clock.setTimer(BUSY_BEFORE_DISCONNECT_MS, drop);
    } else drop();
  }

  private cancelDisconnect(): void {
    if (!this.disconnectTimer) return;
    this.disconnectTimer();
    this.disconnectTimer = undefined;
    this.line.setBattery(true);
  }

  /** Stops everything (service stop): ringing, tones, timers. */
  shutdown(): void {
    this.line.stopRinging('stopped', false);
    this.line.stopTone();
    this.cancelCwAck(false);
    this.disconnectTimer?.();
    this.disconnectTimer = undefined;
  }
}
