/**
 * A simulated analog telephone: the terminal end of a loop (plugged into the FXS port, or straight
 * into the PSTN line through the lifeline relay). It goes off-hook, dials by DTMF (media's
 * generator) or by dial pulses, flashes and hangs up; what it hears goes through a tone classifier
 * (call-progress tones, DTMF, FSK, CAS); its caller-ID display decodes the FSK (Bell 202 and V.23,
 * media's CidReceiver) or DTMF caller ID it receives on-hook, the type 2 caller ID it receives
 * off-hook after acknowledging the CAS with DTMF 'A', and visual MWI.
 *
 * For tests: `await phone.hears('dial')`, `phone.offHook()`, `await phone.dial('123')`,
 * `await phone.flash()`, `phone.onHook()`, `phone.callerId`, `phone.audio` (speech in and out).
 */
import { SampleQueue } from '../sample-queue';
import type { Clock } from '../../shared/clock';
import { FRAME_SAMPLES } from '../../media/dsp/audio';
import { DtmfDetector } from '../../media/dsp/dtmf-detector';
import { renderDtmf, renderDtmfTone, type DtmfDigit } from '../../media/dsp/dtmf-generator';
import { CidReceiver } from '../../media/callerid/cid-receiver';
import { callerIdFromMessage, mwiFromMessage, type CidMessage } from '../../media/callerid/cid-message';
import { FrameFifo } from '../exchange-line';
import { pulsesForDigit, type PulseStandard } from '../hook-detector';
import type { Loop, LoopTerminalEnd } from '../loop';
import { DEFAULT_TONES, ToneClassifier, type HeardEvent, type ToneLabelSpec } from '../tone-classifier';
import type { AudioFrame, CallerId, LineAudio } from '../types';
import { parseDtmfCallerId } from './dtmf-cid-digits';

export interface SimulatedPhoneOptions {
  readonly clock: Clock;
  /** Tones it can name (default the HT813 defaults of P4000-P4005). */
  readonly tones?: readonly ToneLabelSpec[];
  /** Dial pulse timing (10 pps: 60 ms break, 40 ms make) and the pause between digits. */
  readonly pulse?: { readonly breakMs?: number; readonly makeMs?: number; readonly interDigitMs?: number; readonly standard?: PulseStandard };
  /** DTMF tone and pause (default 100/100 ms). */
  readonly dtmf?: { readonly onMs?: number; readonly offMs?: number };
  /** Answers a CAS with DTMF 'A' (a type 2 caller-ID capable phone). Default true. */
  readonly callWaitingCallerId?: boolean;
}

/**
 * Names that are the same signal on the line: the stutter dial tone (message waiting) is the dial
 * tone's frequencies interrupted 100/100 ms, which is what the confirmation tone P4004 is too.
 */
const LABEL_ALIASES: Readonly<Record<string, string>> = { stutter: 'confirmation' };

/** How long after a CAS the phone listens for off-hook FSK data (type 2 data starts ≤ 500 ms after the ack). */
const OFF_HOOK_DATA_WINDOW_MS = 3000;

interface Step {
  readonly fn?: () => unknown;
  readonly ms: number;
}

export interface HearsOptions {
  /** Default 10 s (of the phone's clock). */
  readonly timeoutMs?: number;
}

export class SimulatedPhone implements LoopTerminalEnd {
  private loop: Loop | undefined;
  private hookOff = false;
  private ringOn = false;
  private ringBursts = 0;
  private reversedNow = false;
  private batteryNow = false;
  private classifier: ToneClassifier;
  private readonly changeListeners = new Set<() => void>();
  private readonly dtmfIn = new DtmfDetector();
  private readonly cidBell = new CidReceiver('bell202');
  private readonly cidV23 = new CidReceiver('v23');
  private onHookDigits = '';
  private lastCid: { cid: CallerId; at: number } | undefined;
  private fskListenUntil = 0;
  private readonly up = new SampleQueue();
  private readonly speech = new FrameFifo();
  private readonly waiters = new Set<{ label: string; resolve: () => void }>();
  private readonly eventWaiters = new Set<() => void>();
  private readonly queue: { steps: readonly Step[]; resolve: () => void }[] = [];
  /** Everything recognised, in order (label, ms of audio heard). */
  readonly heard: HeardEvent[] = [];
  /** DTMF digits heard off-hook (far-end in-band digits). */
  heardDigits = '';
  /** The caller-ID display: the last caller ID received. */
  callerId: CallerId | undefined;
  readonly callerIds: CallerId[] = [];
  /** Visual message waiting (FSK VMWI or the NEON lamp). */
  messageWaiting = false;
  /** Loop current interruptions seen off-hook (disconnect supervision). */
  batteryDrops = 0;
  polarityReversals = 0;
  /** Frequency of the last ring signal, Hz. */
  ringHz = 0;

  constructor(private readonly opts: SimulatedPhoneOptions) {
    this.classifier = new ToneClassifier(opts.tones ?? DEFAULT_TONES);
  }

  // ---- state ----

  get isOffHook(): boolean {
    return this.hookOff;
  }
  /** Ring voltage present now. */
  get ringing(): boolean {
    return this.ringOn;
  }
  /** Ring bursts since the phone was last off-hook. */
  get rings(): number {
    return this.ringBursts;
  }
  get polarityReversed(): boolean {
    return this.reversedNow;
  }
  get loopCurrent(): boolean {
    return this.hookOff && this.batteryNow;
  }
  /** What the classifier hears now ('silence', 'dial', 'busy', 'audio', ...). */
  get hearing(): string {
    return this.classifier.current;
  }
  get plugged(): boolean {
    return this.loop !== undefined;
  }

  /** Speech path for the media layer / tests: write frames to speak, onFrame to listen. */
  get audio(): LineAudio {
    return this.speech;
  }

  // ---- actions ----

  offHook(): void {
    if (this.hookOff) return;
    this.hookOff = true;
    this.ringBursts = 0;
    this.loop?.setClosed(true);
    this.notify();
  }

  onHook(): void {
    if (!this.hookOff) return;
    this.hookOff = false;
    this.classifier = new ToneClassifier(this.opts.tones ?? DEFAULT_TONES);
    this.up.clear();
    this.loop?.setClosed(false);
    this.notify();
  }

  /** A hook flash: the loop open for `ms` (default 500, inside the HT813 300-1100 window). */
  flash(ms = 500): Promise<void> {
    if (!this.hookOff) return Promise.reject(new Error('flash while on-hook'));
    return this.enqueue([
      { fn: () => this.loop?.setClosed(false), ms },
      { fn: () => this.hookOff && this.loop?.setClosed(true), ms: 0 },
    ]);
  }

  /** Dials by DTMF (default) or pulses; resolves when the last digit has gone out. */
  dial(digits: string, opts: { readonly method?: 'dtmf' | 'pulse' } = {}): Promise<void> {
    if (opts.method === 'pulse') {
      const p = this.opts.pulse ?? {};
      const std = p.standard ?? 'general';
      const steps: Step[] = [];
      for (const d of digits) {
        const n = pulsesForDigit(d, std);
        for (let i = 0; i < n; i++) {
          steps.push({ fn: () => this.hookOff && this.loop?.setClosed(false), ms: p.breakMs ?? 60 });
          steps.push({ fn: () => this.hookOff && this.loop?.setClosed(true), ms: p.makeMs ?? 40 });
        }
        steps.push({ ms: p.interDigitMs ?? 700 });
      }
      return this.enqueue(steps);
    }
    const samples = renderDtmf(digits, { onMs: this.opts.dtmf?.onMs ?? 100, offMs: this.opts.dtmf?.offMs ?? 100 });
    return this.enqueue([{ fn: () => this.up.push(samples), ms: Math.ceil(samples.length / 8) + 40 }]);
  }

  /** Sends audio toward the line (a test tone, recorded speech). */
  speak(samples: Int16Array): void {
    this.up.push(samples);
  }

  /** Resolves when the classifier recognises `label` (now or later); rejects after the timeout. */
  hears(wanted: string, opts: HearsOptions = {}): Promise<void> {
    const label = LABEL_ALIASES[wanted] ?? wanted;
    if (this.classifier.current === label) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const w = { label, resolve: () => done(true) };
      const cancel = this.opts.clock.setTimer(opts.timeoutMs ?? 10_000, () => done(false));
      const done = (ok: boolean): void => {
        this.waiters.delete(w);
        cancel();
        if (ok) resolve();
        else reject(new Error(`phone did not hear ${label} (hearing ${this.classifier.current}; heard ${this.heard.map((h) => h.label).join(',') || 'nothing'})`));
      };
      this.waiters.add(w);
    });
  }

  /** Resolves once `predicate` holds (checked after every line event); rejects after the timeout. */
  until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (predicate()) finish(true);
      };
      const cancel = this.opts.clock.setTimer(timeoutMs, () => finish(false));
      const finish = (ok: boolean): void => {
        this.eventWaiters.delete(check);
        cancel();
        if (ok) resolve();
        else reject(new Error(`phone: timed out waiting for ${what}`));
      };
      this.eventWaiters.add(check);
    });
  }

  /** Resolves when the phone has rung `n` bursts. */
  waitRings(n = 1, timeoutMs = 30_000): Promise<void> {
    return this.until(() => this.ringBursts >= n, `${n} ring(s)`, timeoutMs);
  }

  /** Resolves when a caller ID (new since the call) is on the display. */
  waitCallerId(timeoutMs = 30_000): Promise<CallerId> {
    const before = this.callerIds.length;
    return this.until(() => this.callerIds.length > before, 'caller ID', timeoutMs).then(() => this.callerId!);
  }

  // ---- LoopTerminalEnd ----

  attached(loop: Loop | undefined): void {
    this.loop = loop;
    if (loop && this.hookOff) loop.setClosed(true);
  }

  ringVoltage(on: boolean): void {
    if (on && !this.ringOn) {
      this.ringBursts++;
      this.ringHz = this.loop?.ringHz ?? 20;
    }
    this.ringOn = on;
    this.notify();
  }

  polarity(reversed: boolean): void {
    if (reversed !== this.reversedNow) this.polarityReversals++;
    this.reversedNow = reversed;
    this.notify();
  }

  battery(on: boolean): void {
    if (!on && this.batteryNow && this.hookOff) this.batteryDrops++;
    this.batteryNow = on;
    this.notify();
  }

  lamp(on: boolean): void {
    this.messageWaiting = on;
    this.notify();
  }

  pullUp(): AudioFrame | undefined {
    const spoken = this.speech.take();
    return this.up.takeFrame() ?? spoken;
  }

  pushDown(frame: AudioFrame): void {
    // Off-hook, data follows only a CAS / DT-AS (GR-30 type 2, EN 300 659-2): listen for it then.
    if (!this.hookOff || this.opts.clock.now() < this.fskListenUntil) {
      for (const m of [...this.cidBell.push(frame), ...this.cidV23.push(frame)]) this.display(m);
    }
    const digits = this.dtmfIn.push(frame).filter((d) => d.endSample === undefined).map((d) => d.digit);
    if (!this.hookOff) {
      this.onHookDigit(digits);
      this.notify();
      return;
    }
    this.heardDigits += digits.join('');
    this.speech.deliver(frame);
    for (const e of this.classifier.push(frame)) {
      this.heard.push(e);
      if (e.label === 'cas') {
        this.fskListenUntil = this.opts.clock.now() + OFF_HOOK_DATA_WINDOW_MS;
        if (this.opts.callWaitingCallerId ?? true) this.ackCas();
      }
      for (const w of [...this.waiters]) if (w.label === e.label) w.resolve();
    }
    if (digits.length > 0) for (const w of [...this.waiters]) if (w.label === 'dtmf') w.resolve();
    this.notify();
  }

  // ---- internals ----

  private display(m: CidMessage): void {
    const cid = callerIdFromMessage(m);
    // Bell 202 and V.23 are close enough that both receivers may decode one burst: show it once.
    const now = this.opts.clock.now();
    if (cid && this.lastCid && now - this.lastCid.at < 1000 && JSON.stringify(cid) === JSON.stringify(this.lastCid.cid)) return;
    if (cid) this.lastCid = { cid, at: now };
    if (cid) {
      this.callerId = cid;
      this.callerIds.push(cid);
      return;
    }
    const mwi = mwiFromMessage(m);
    if (mwi !== undefined) this.messageWaiting = mwi;
  }

  private onHookDigit(digits: readonly string[]): void {
    for (const d of digits) {
      if (this.onHookDigits === '' && d !== 'A' && d !== 'B' && d !== 'D') continue;
      this.onHookDigits += d;
      const cid = parseDtmfCallerId(this.onHookDigits);
      if (cid) {
        this.onHookDigits = '';
        this.callerId = cid;
        this.callerIds.push(cid);
      } else if (this.onHookDigits.length > 32) this.onHookDigits = '';
    }
  }

  /** GR-30 type 2: acknowledge the CAS with DTMF 'A' (55-65 ms) right after it. */
  private ackCas(): void {
    this.up.push(new Int16Array(FRAME_SAMPLES), renderDtmfTone('A' as DtmfDigit, 60));
  }

  /** Runs timed actions one after another, each timer arming the next (exact under a FakeClock). */
  private enqueue(steps: readonly Step[]): Promise<void> {
    return new Promise<void>((resolve) => {
      this.queue.push({ steps, resolve });
      if (this.queue.length === 1) this.runHead();
    });
  }

  private runHead(): void {
    const item = this.queue[0];
    if (!item) return;
    let i = 0;
    const step = (): void => {
      const s = item.steps[i++];
      if (!s) {
        this.queue.shift();
        item.resolve();
        this.runHead();
        return;
      }
      s.fn?.();
      if (s.ms > 0) this.opts.clock.setTimer(s.ms, step);
      else step();
    };
    step();
  }

  private notify(): void {
    for (const w of [...this.eventWaiters]) w();
    for (const l of [...this.changeListeners]) l();
  }

  /** Called after every line event and every frame heard (on-hook too): for displays like `ht813 phone`. */
  onChange(fn: () => void): () => void {
    this.changeListeners.add(fn);
    return () => this.changeListeners.delete(fn);
  }
}
