/**
 * The exchange end of a loop, shared by the FXS port (the unit's SLIC + DSP) and the simulated
 * central office: hook decoding (HookDetector), DTMF reception (media's DtmfDetector), ringing with
 * cadences and caller-ID steps (media's callerIdSequence), tones, on-hook and off-hook data
 * bursts, polarity and battery, and the audio FIFO toward the media layer.
 */
import type { Cancel, Clock } from '../shared/clock';
import { FRAME_SAMPLES, SAMPLE_RATE } from '../media/dsp/audio';
import { DtmfDetector } from '../media/dsp/dtmf-detector';
import { ToneGenerator, type CadenceSegment, type ToneDefinition } from '../media/dsp/tone-generator';
import type { CidStep } from '../media/callerid/cid-sequence';
import { HookDetector, type HookSignal, type HookTimings } from './hook-detector';
import type { Loop, LoopExchangeEnd } from './loop';
import type { AudioFrame, LineAudio } from './types';

export type ExchangeSignal =
  | HookSignal
  | { readonly type: 'dtmf'; readonly digit: string }
  | { readonly type: 'ringStopped'; readonly reason: 'answered' | 'stopped' };

/** Frames buffered from the media layer before the oldest is dropped (absorbs clock phase). */
const MEDIA_FIFO_MAX = 4;

export type RingState = 'idle' | 'alerting';

const RING_ALLOWED: Readonly<Record<RingState, readonly RingState[]>> = {
  idle: ['alerting'],
  alerting: ['idle'],
};

function samplesMs(n: number): number {
  return Math.ceil((n * 1000) / SAMPLE_RATE);
}

/** Gain step index of P247/P248/P249/P283 → dB (reference §1.6: 1 +6, 2 +4, 3 +2, 0 0, 4 −2 ... 9 −12). */
export function gainDb(index: number): number {
  const table: Readonly<Record<number, number>> = { 1: 6, 2: 4, 3: 2, 0: 0, 4: -2, 5: -4, 6: -6, 7: -8, 8: -10, 9: -12 };
  return table[index] ?? 0;
}

function scaled(frame: AudioFrame, factor: number): AudioFrame {
  if (factor === 1) return frame;
  const out = new Int16Array(frame.length);
  for (let i = 0; i < frame.length; i++) {
    const v = Math.round(frame[i]! * factor);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}

/**
 * A buffered voice path: frames written by the media layer (toward the line), frames read from
 * the line (toward the media layer), each with its gain (TX/RX gain P-values). Locally generated
 * tones and data have their own levels and do not pass through it.
 */
export class FrameFifo implements LineAudio {
  private readonly q: AudioFrame[] = [];
  private readonly listeners = new Set<(f: AudioFrame) => void>();
  private toLine = 1;
  private fromLine = 1;
  dropped = 0;

  /** Gains in dB: on frames written toward the line, and on frames received from it. */
  setGains(toLineDb: number, fromLineDb: number): void {
    this.toLine = 10 ** (toLineDb / 20);
    this.fromLine = 10 ** (fromLineDb / 20);
  }

  write(frame: AudioFrame): void {
    this.q.push(frame);
    while (this.q.length > MEDIA_FIFO_MAX) {
      this.q.shift();
      this.dropped++;
    }
  }
  onFrame(listener: (frame: AudioFrame) => void): Cancel {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** The next frame written, or undefined (silence). */
  take(): AudioFrame | undefined {
    const f = this.q.shift();
    return f && scaled(f, this.toLine);
  }
  clear(): void {
    this.q.length = 0;
  }
  deliver(frame: AudioFrame): void {
    if (this.listeners.size === 0) return;
    const f = scaled(frame, this.fromLine);
    for (const l of [...this.listeners]) l(f);
  }
}

export class ExchangeLine implements LoopExchangeEnd {
  readonly hookDetector: HookDetector;
  readonly audio = new FrameFifo();
  private loop: Loop | undefined;
  private readonly dtmf = new DtmfDetector();
  private data: Int16Array[] = [];
  private dataOffset = 0;
  private tone: { gen: ToneGenerator; left: number } | undefined;
  private ringSt: RingState = 'idle';
  private ringTimer: Cancel | undefined;
  private reversedForCall = false;
  private reversedForCid = false;
  private readonly upTaps = new Set<(f: AudioFrame) => void>();

  constructor(
    private readonly clock: Clock,
    timings: HookTimings,
    private readonly signal: (s: ExchangeSignal) => void,
  ) {
    this.hookDetector = new HookDetector(clock, timings, (s) => this.signal(s));
  }

  get offHook(): boolean {
    return this.hookDetector.state !== 'onHook';
  }
  get ringing(): boolean {
    return this.ringSt === 'alerting';
  }
  get attachedLoop(): Loop | undefined {
    return this.loop;
  }
  /** True while a data burst (caller ID, VMWI, CAS) is going out. */
  get sendingData(): boolean {
    return this.data.length > 0;
  }

  // ---- LoopExchangeEnd ----

  attached(loop: Loop | undefined): void {
    this.loop = loop;
    if (loop) {
      loop.setBattery(true);
      loop.setPolarity(this.reversedForCall !== this.reversedForCid);
    } else {
      this.stopRinging('stopped', false);
      this.hookDetector.reset();
    }
  }

  /** Asked when the terminal goes off-hook from on-hook; true = the loop was taken away (lifeline). */
  beforeOffHook: () => boolean = () => false;

  loopChanged(closed: boolean): void {
    if (closed && !this.offHook && !this.ringing && this.beforeOffHook()) return;
    if (closed && this.ringing) this.stopRinging('answered');
    if (closed && this.data.length > 0 && !this.offHook) this.clearData();
    this.hookDetector.loop(closed);
  }

  pullDown(): AudioFrame | undefined {
    if (this.data.length > 0) {
      // Data mutes tones and voice, but a tone's cadence keeps time underneath.
      if (this.tone) this.readTone();
      this.audio.take();
      return this.takeData();
    }
    if (!this.loop?.closed) return undefined;
    const media = this.audio.take();
    if (!this.tone) return media;
    const t = this.readTone();
    if (!media) return t;
    const out = new Int16Array(FRAME_SAMPLES);
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      const v = (media[i] ?? 0) + t[i]!;
      out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    return out;
  }

  private readTone(): Int16Array {
    const tone = this.tone!;
    const t = tone.gen.read(new Int16Array(FRAME_SAMPLES));
    tone.left -= FRAME_SAMPLES;
    if (tone.left <= 0) this.tone = undefined;
    return t;
  }

  pushUp(frame: AudioFrame): void {
    for (const d of this.dtmf.push(frame)) {
      if (d.endSample === undefined) this.signal({ type: 'dtmf', digit: d.digit });
    }
    for (const tap of [...this.upTaps]) tap(frame);
    this.audio.deliver(frame);
  }

  /** Listens to every frame from the terminal (call-waiting ack, tests). */
  tapUp(fn: (f: AudioFrame) => void): Cancel {
    this.upTaps.add(fn);
    return () => this.upTaps.delete(fn);
  }

  // ---- DC ----

  /** Call polarity (answer supervision): reversed while connected. */
  setCallPolarity(reversed: boolean): void {
    this.reversedForCall = reversed;
    this.loop?.setPolarity(this.reversedForCall !== this.reversedForCid);
  }

  setBattery(on: boolean): void {
    this.loop?.setBattery(on);
  }

  // ---- tones and data ----

  playTone(def: ToneDefinition, durationMs?: number): void {
    this.tone = { gen: new ToneGenerator(def), left: durationMs === undefined ? Infinity : Math.round((durationMs * SAMPLE_RATE) / 1000) };
  }

  stopTone(): void {
    this.tone = undefined;
  }

  get playingTone(): boolean {
    return this.tone !== undefined;
  }

  /** Queues a data burst (sent exclusively, muting tones and call audio); returns its duration in ms. */
  sendData(samples: Int16Array): number {
    // An empty jack: the burst goes nowhere (its duration still paces the caller's sequence).
    if (!this.loop?.terminalEnd) return samplesMs(samples.length);
    this.data.push(samples);
    this.loop?.setOnHookAudio(true);
    return samplesMs(samples.length);
  }

  private takeData(): AudioFrame {
    const out = new Int16Array(FRAME_SAMPLES);
    let o = 0;
    while (o < FRAME_SAMPLES && this.data.length > 0) {
      const cur = this.data[0]!;
      const n = Math.min(FRAME_SAMPLES - o, cur.length - this.dataOffset);
      out.set(cur.subarray(this.dataOffset, this.dataOffset + n), o);
      o += n;
      this.dataOffset += n;
      if (this.dataOffset >= cur.length) {
        this.data.shift();
        this.dataOffset = 0;
      }
    }
    if (this.data.length === 0) this.loop?.setOnHookAudio(false);
    return out;
  }

  private clearData(): void {
    this.data = [];
    this.dataOffset = 0;
    this.loop?.setOnHookAudio(false);
  }

  // ---- ringing ----

  /**
   * Rings: the caller-ID steps first (`intro`, from media's callerIdSequence), then the cadence
   * from segment `startSegment`, repeating until stopRinging or ring trip. When the intro follows a
   * first ring burst (schemes sending during ringing), `padToMs` stretches the intro to the first
   * cadence off time so the rhythm is kept.
   */
  startRinging(cadence: readonly CadenceSegment[], intro: readonly CidStep[] = [], startSegment = 0, padToMs = 0): void {
    if (this.offHook || !this.loop) return;
    this.cancelRingTimer();
    if (this.ringSt === 'idle') this.transitionRing('alerting');
    const segs = cadence.filter((s) => s.onMs > 0 || s.offMs > 0);
    const introMs = intro.reduce((t, s) => t + stepMs(s), 0);
    const steps: CidStep[] = [...intro];
    if (padToMs > introMs) steps.push({ kind: 'silence', ms: padToMs - introMs });
    let i = 0;
    const next = (): void => {
      this.ringTimer = undefined;
      if (this.ringSt !== 'alerting' || !this.loop) return;
      const s = steps[i++];
      if (!s) {
        this.loop.setPolarity(this.reversedForCall);
        this.reversedForCid = false;
        this.runCadence(segs, segs.length > 0 ? startSegment % segs.length : 0);
        return;
      }
      switch (s.kind) {
        case 'ring':
          this.loop.setRinging(true);
          this.ringTimer = this.clock.setTimer(s.ms, () => {
            this.loop?.setRinging(false);
            next();
          });
          return;
        case 'silence':
          this.ringTimer = this.clock.setTimer(s.ms, next);
          return;
        case 'polarity-reversal':
          this.reversedForCid = !this.reversedForCid;
          this.loop.setPolarity(this.reversedForCall !== this.reversedForCid);
          next();
          return;
        case 'audio':
          this.ringTimer = this.clock.setTimer(this.sendData(s.samples) + 2 * 20, next);
          return;
      }
    };
    next();
  }

  private runCadence(segs: readonly CadenceSegment[], idx: number): void {
    const loop = this.loop;
    if (!loop || this.ringSt !== 'alerting') return;
    const seg = segs[idx];
    if (!seg) {
      loop.setRinging(true); // no cadence: continuous ring
      return;
    }
    if (seg.offMs === 0 && segs.every((s) => s.offMs === 0)) {
      loop.setRinging(true);
      return;
    }
    loop.setRinging(seg.onMs > 0);
    this.ringTimer = this.clock.setTimer(seg.onMs, () => {
      this.loop?.setRinging(false);
      this.ringTimer = this.clock.setTimer(seg.offMs, () => this.runCadence(segs, (idx + 1) % segs.length));
    });
  }

  /** Stops ringing (and any on-hook caller ID in progress). */
  stopRinging(reason: 'answered' | 'stopped' = 'stopped', announce = true): void {
    if (this.ringSt !== 'alerting') return;
    this.cancelRingTimer();
    this.transitionRing('idle');
    this.loop?.setRinging(false);
    if (this.reversedForCid) {
      this.reversedForCid = false;
      this.loop?.setPolarity(this.reversedForCall);
    }
    if (!this.offHook) this.clearData();
    if (announce) this.signal({ type: 'ringStopped', reason });
  }

  private cancelRingTimer(): void {
    this.ringTimer?.();
    this.ringTimer = undefined;
  }

  private transitionRing(to: RingState): void {
    if (!RING_ALLOWED[this.ringSt].includes(to)) throw new Error(`ringing: ${this.ringSt} → ${to} not allowed`);
    this.ringSt = to;
  }
}

export function stepMs(s: CidStep): number {
  switch (s.kind) {
    case 'ring':
    case 'silence':
      return s.ms;
    case 'polarity-reversal':
      return 0;
    case 'audio':
      return samplesMs(s.samples.length) + 2 * 20;
  }
}
