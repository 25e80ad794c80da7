/**
 * The simulated FXO port (the DAA on the PSTN line): the terminal end of the PSTN loop.
 *  - ring detection and counting; "ring stopped" after P3630 s without ring;
 *  - on-hook caller ID reception before answering per P863 (FSK by media's CidReceiver with the
 *    P845 level, P846 seizure-bit and P847 mark-bit requirements, or DTMF);
 *  - DTMF dialing with P3300 digit length and P3302 pause;
 *  - dial-tone recognition (P4000's tone), disconnect detection by the PSTN disconnect tone
 *    (P712/P841), by polarity reversal (P28101) and by loop-current loss (P893/P764);
 *  - hook flash of P838 ms.
 * Polarity rule with P28101 on: a reversal while seized or dialing is answer supervision (the port
 * becomes connected); any polarity change while connected is the far end's disconnect.
 */
import { SampleQueue } from './sample-queue';
import type { Cancel, Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { DtmfDetector } from '../media/dsp/dtmf-detector';
import { renderDtmf } from '../media/dsp/dtmf-generator';
import { CidReceiver } from '../media/callerid/cid-receiver';
import { callerIdFromMessage } from '../media/callerid/cid-message';
import { FrameFifo, gainDb } from './exchange-line';
import type { Loop, LoopTerminalEnd } from './loop';
import type { FxoConfig } from './config';
import { ToneClassifier } from './tone-classifier';
import { parseDtmfCallerId } from './sim/dtmf-cid-digits';
import type { AudioFrame, CallerId, FxoEvent, FxoPort, FxoState, LineAudio } from './types';

const ALLOWED: Readonly<Record<FxoState, readonly FxoState[]>> = {
  idle: ['ringing', 'seized'],
  ringing: ['idle', 'connected'],
  seized: ['dialing', 'connected', 'disconnected', 'idle'],
  dialing: ['seized', 'connected', 'disconnected', 'idle'],
  connected: ['disconnected', 'idle'],
  disconnected: ['idle'],
};

/** P863 values that carry DTMF caller ID (reference §7). */
const DTMF_CID = new Set([5, 6, 7, 8, 11, 12, 13, 14, 15]);
/** A ring burst must last this long to count (ETSI RP-AS is 200-300 ms and is no ring). */
export const RING_QUALIFY_MS = 350;
/** Bursts closer than this belong to one ring (double-ring cadences). */
export const RING_GROUP_GAP_MS = 1000;
/** A `,` in a dial string waits this long (our choice, the usual ATA comma pause). */
const COMMA_PAUSE_MS = 1000;

export class SimFxoPort implements FxoPort, LoopTerminalEnd {
  private st: FxoState = 'idle';
  private loop: Loop | undefined;
  private cfg: FxoConfig;
  private readonly listeners = new Set<(e: FxoEvent) => void>();
  private readonly fifo = new FrameFifo();
  private rings = 0;
  private cid: CallerId | undefined;
  private ringTimer: Cancel | undefined;
  private qualifyTimer: Cancel | undefined;
  private ringOn = false;
  private burstCounted = false;
  private lastRingEnd = -Infinity;
  private currentTimer: Cancel | undefined;
  private reversed = false;
  private batteryOn = false;
  private fskRx: CidReceiver;
  private dtmfRx = new DtmfDetector();
  private dtmfCid = '';
  private classifier: ToneClassifier;
  private dialToneSeen = false;
  private readonly up = new SampleQueue();
  private dialEndsAt = 0;
  private pendingDials = 0;

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    cfg: FxoConfig,
  ) {
    this.cfg = cfg;
    this.fskRx = this.makeFskReceiver();
    this.classifier = this.makeClassifier();
    this.fifo.setGains(gainDb(cfg.txGain), gainDb(cfg.rxGain));
  }

  configure(cfg: FxoConfig): void {
    this.cfg = cfg;
    this.fskRx = this.makeFskReceiver();
    this.classifier = this.makeClassifier();
    this.fifo.setGains(gainDb(cfg.txGain), gainDb(cfg.rxGain));
  }

  private makeFskReceiver(): CidReceiver {
    return new CidReceiver(this.cfg.cidScheme === 0 ? 'bell202' : 'v23', { minDbm0: this.cfg.fskMinDbm0, huntMarkBits: this.cfg.fskMarkBits, huntSeizureBits: this.cfg.fskSeizureBits });
  }

  private makeClassifier(): ToneClassifier {
    const specs = [{ label: 'dial', tone: this.cfg.dialTone }];
    if (this.cfg.disconnectToneDetection) specs.push({ label: 'disconnect', tone: this.cfg.disconnectTone });
    try {
      return new ToneClassifier(specs, { minDbm0: -50 });
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'bad FXO tone string; recognising the default dial tone only');
      return new ToneClassifier([{ label: 'dial', tone: 'f1=350@-17,f2=440@-17,c=0/0;' }]);
    }
  }

  get state(): FxoState {
    return this.st;
  }
  get ringCount(): number {
    return this.rings;
  }
  get callerId(): CallerId | undefined {
    return this.cid;
  }
  get audio(): LineAudio {
    return this.fifo;
  }
  /** A line is plugged in and feeds battery. */
  get linePresent(): boolean {
    return this.loop !== undefined && this.batteryOn;
  }

  on(listener: (e: FxoEvent) => void): Cancel {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: FxoEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  private transition(to: FxoState): void {
    if (this.st === to) return;
    if (!ALLOWED[this.st].includes(to)) throw new Error(`fxo: ${this.st} → ${to} not allowed`);
    this.log.debug({ from: this.st, to }, 'fxo state');
    this.st = to;
    this.emit({ type: 'state', state: to });
  }

  // ---- commands ----

  seize(): void {
    if (this.st === 'idle') {
      this.offHook();
      this.transition('seized');
    } else if (this.st === 'ringing') {
      this.offHook();
      this.transition('connected');
    }
  }

  private offHook(): void {
    this.cancelRingTimer();
    this.cancelQualify();
    this.dialToneSeen = false;
    this.classifier = this.makeClassifier();
    this.loop?.setClosed(true);
  }

  /** Digits queue behind any still going out; each call resolves when its own last digit has gone. */
  dial(digits: string): Promise<void> {
    if (this.st !== 'seized' && this.st !== 'dialing' && this.st !== 'connected') {
      return Promise.reject(new Error(`fxo: cannot dial in state ${this.st}`));
    }
    if (this.st === 'seized') this.transition('dialing');
    const parts: Int16Array[] = [];
    for (const ch of digits) {
      if (ch === ',') parts.push(new Int16Array((COMMA_PAUSE_MS * 8000) / 1000));
      else parts.push(renderDtmf(ch, { onMs: this.cfg.dtmfDigitMs, offMs: this.cfg.dtmfPauseMs }));
    }
    let total = 0;
    for (const p of parts) {
      this.up.push(p);
      total += p.length;
    }
    const now = this.clock.now();
    this.dialEndsAt = Math.max(now, this.dialEndsAt) + Math.ceil(total / 8);
    this.pendingDials++;
    return new Promise<void>((resolve) => {
      this.clock.setTimer(this.dialEndsAt - now + 40, () => {
        this.pendingDials--;
        if (this.pendingDials === 0 && this.st === 'dialing') this.transition('seized');
        resolve();
      });
    });
  }

  setConnected(): void {
    if (this.st === 'seized' || this.st === 'dialing') this.transition('connected');
  }

  flash(): Promise<void> {
    if (this.st !== 'seized' && this.st !== 'connected' && this.st !== 'dialing') return Promise.resolve();
    this.loop?.setClosed(false);
    return new Promise<void>((resolve) =>
      this.clock.setTimer(this.cfg.flashMs, () => {
        if (this.st !== 'idle') this.loop?.setClosed(true);
        resolve();
      }),
    );
  }

  release(): void {
    this.loop?.setClosed(false);
    this.cancelCurrentTimer();
    this.cancelRingTimer();
    this.cancelQualify();
    this.up.clear();
    this.fifo.clear();
    this.rings = 0;
    this.cid = undefined;
    if (this.st !== 'idle') this.transition('idle');
  }

  // ---- LoopTerminalEnd ----

  attached(loop: Loop | undefined): void {
    this.loop = loop;
    if (!loop) {
      this.batteryOn = false;
      this.cancelQualify();
      if (this.st === 'ringing') {
        this.cancelRingTimer();
        this.rings = 0;
        this.transition('idle');
        this.emit({ type: 'ringStopped' });
      } else if (this.st !== 'idle' && this.st !== 'disconnected') this.disconnect('loopCurrent');
    } else if (this.st !== 'idle') loop.setClosed(true);
  }

  /**
   * Ring detection: a burst counts once it has lasted RING_QUALIFY_MS (so an ETSI ring-pulse alert
   * of 200-300 ms is not a ring), and bursts less than RING_GROUP_GAP_MS apart are one ring (the
   * UK double ring 400/200/400/2000 counts once per cycle).
   */
  ringVoltage(on: boolean): void {
    this.ringOn = on;
    if (!on) {
      this.cancelQualify();
      if (this.burstCounted) this.lastRingEnd = this.clock.now();
      this.burstCounted = false;
      if (this.st === 'ringing') this.armRingTimeout();
      return;
    }
    if (this.st !== 'idle' && this.st !== 'ringing') return;
    this.cancelQualify();
    this.qualifyTimer = this.clock.setTimer(RING_QUALIFY_MS, () => {
      this.qualifyTimer = undefined;
      if (!this.ringOn || (this.st !== 'idle' && this.st !== 'ringing')) return;
      this.burstCounted = true;
      this.cancelRingTimer();
      const sameRing = this.st === 'ringing' && this.clock.now() - RING_QUALIFY_MS - this.lastRingEnd < RING_GROUP_GAP_MS;
      if (this.st === 'idle') {
        this.rings = 0;
        this.transition('ringing');
      }
      if (sameRing) return;
      this.rings++;
      this.emit({ type: 'ring', count: this.rings });
    });
  }

  private cancelQualify(): void {
    this.qualifyTimer?.();
    this.qualifyTimer = undefined;
  }

  polarity(reversed: boolean): void {
    if (reversed === this.reversed) return;
    this.reversed = reversed;
    if (this.st === 'seized' || this.st === 'dialing' || this.st === 'connected') this.emit({ type: 'polarity', reversed });
    if (!this.cfg.polarityDetection) return;
    if (this.st === 'seized' || this.st === 'dialing') this.transition('connected');
    else if (this.st === 'connected') this.disconnect('polarity');
  }

  battery(on: boolean): void {
    this.batteryOn = on;
    if (on) {
      this.cancelCurrentTimer();
      return;
    }
    if (!this.cfg.currentDisconnect || !this.offHookNow()) return;
    this.cancelCurrentTimer();
    this.currentTimer = this.clock.setTimer(this.cfg.currentDisconnectMs, () => {
      this.currentTimer = undefined;
      if (!this.batteryOn && this.offHookNow()) this.disconnect('loopCurrent');
    });
  }

  pullUp(): AudioFrame | undefined {
    return this.up.takeFrame() ?? this.fifo.take();
  }

  pushDown(frame: AudioFrame): void {
    if (this.st === 'idle' || this.st === 'ringing') {
      this.receiveCallerId(frame);
      return;
    }
    if (this.st === 'disconnected') return;
    this.fifo.deliver(frame);
    for (const e of this.classifier.push(frame)) {
      if (e.label === 'dial' && !this.dialToneSeen && (this.st === 'seized' || this.st === 'dialing')) {
        this.dialToneSeen = true;
        this.emit({ type: 'dialTone' });
      } else if (e.label === 'disconnect' && this.cfg.disconnectToneDetection) this.disconnect('busyTone');
    }
  }

  // ---- internals ----

  private receiveCallerId(frame: AudioFrame): void {
    let got: CallerId | undefined;
    if (DTMF_CID.has(this.cfg.cidScheme)) {
      for (const d of this.dtmfRx.push(frame)) {
        if (d.endSample !== undefined) continue;
        if (this.dtmfCid === '' && d.digit !== 'A' && d.digit !== 'B' && d.digit !== 'D') continue;
        this.dtmfCid += d.digit;
        got = parseDtmfCallerId(this.dtmfCid);
        if (got || this.dtmfCid.length > 32) this.dtmfCid = '';
      }
    } else {
      for (const m of this.fskRx.push(frame)) got = callerIdFromMessage(m) ?? got;
    }
    if (!got) return;
    this.cid = got;
    this.emit({ type: 'callerId', callerId: got });
  }

  private offHookNow(): boolean {
    return this.st === 'seized' || this.st === 'dialing' || this.st === 'connected';
  }

  private disconnect(cause: 'busyTone' | 'polarity' | 'loopCurrent'): void {
    if (!this.offHookNow()) return;
    this.cancelCurrentTimer();
    this.up.clear();
    this.transition('disconnected');
    this.log.info({ cause }, 'PSTN far end disconnected');
    this.emit({ type: 'disconnect', cause });
  }

  private armRingTimeout(): void {
    this.cancelRingTimer();
    this.ringTimer = this.clock.setTimer(this.cfg.ringTimeoutS * 1000, () => {
      this.ringTimer = undefined;
      if (this.st !== 'ringing') return;
      this.rings = 0;
      this.cid = undefined;
      this.transition('idle');
      this.emit({ type: 'ringStopped' });
    });
  }

  private cancelRingTimer(): void {
    this.ringTimer?.();
    this.ringTimer = undefined;
  }

  private cancelCurrentTimer(): void {
    this.currentTimer?.();
    this.currentTimer = undefined;
  }

  /** Service stop: drop the line. */
  shutdown(): void {
    this.release();
  }
}
