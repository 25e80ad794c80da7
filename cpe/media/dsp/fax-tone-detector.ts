/**
 * Fax and modem tones in a call's audio, over 10 ms blocks (80 samples: 1100 and 2100 Hz fall on
 * whole DFT bins, 11 and 21 cycles, so a steady tone keeps its phase from block to block):
 *  - CNG (ITU-T T.30): a burst of 1100 Hz lasting 400–650 ms (0.5 s ± 15 %, plus a block of
 *    blur each side), recognised when it ends (a longer 1100 Hz tone is not CNG);
 *  - CED / ANS (T.30, ITU-T V.25) and ANSam (ITU-T V.8): 2100 Hz held for 400 ms, the upper
 *    bound of the 300 ± 100 ms a G.164 / G.165 tone disabler takes to switch a voice path to
 *    data; reported as 'ansam' when the envelope carries V.8's 15 Hz modulation (depth ≥ 0.1 of
 *    the specified 0.2), and V.25 phase reversals are counted (`ansReversals`);
 *  - the V.21 preamble of T.30 (HDLC flags, v21-preamble.ts).
 * A block holds a tone when it is above −43 dBm0 (the V.21 receiver's turn-on level) and the
 * tone's bin carries ≥ 45 % of its energy; the frequency is then measured from the phase advance
 * between blocks (CNG within ±45 Hz, ANS within ±25 Hz). Speech and music spread their energy
 * over harmonics and glide; noise spreads it over every bin. Silent blocks skip the filters.
 */
import { dbm0ToPeak } from './audio';
import { ANS_HZ, CNG_HZ, V21_MARK_HZ, V21_SPACE_HZ } from './fax-tones';
import { V21PreambleDetector } from './v21-preamble';

export type FaxTone = 'cng' | 'ans' | 'ansam' | 'v21';

export interface FaxToneEvent {
  readonly tone: FaxTone;
  /** Sample index (from the detector's first sample) at which the tone was recognised. */
  readonly atSample: number;
  /** Where the tone began. */
  readonly startSample: number;
}

export interface FaxToneDetectorOptions {
  /** Minimum level, dBm0 (default −43). */
  readonly minDbm0?: number;
  /** Look for the V.21 preamble too (default true; two more filters per block). */
  readonly v21?: boolean;
}

export const FAX_BLOCK = 80;
const BLOCKS_PER_S = 8000 / FAX_BLOCK;
/** Share of the block's energy the tone's bin must carry. */
const TONE_SHARE = 0.45;
/** Share of energy of the ANS blocks whose envelope is measured (clean, not a phase reversal). */
const CLEAN_SHARE = 0.8;
const V21_SHARE = 0.35;
/** Absent blocks bridged inside a tone (a phase reversal, a lost packet); one more ends it. */
const MAX_GAP = 2;
const CNG_MIN_BLOCKS = 40;
const CNG_MAX_BLOCKS = 65;
const CNG_MAX_OFFSET_HZ = 45;
const ANS_BLOCKS = 40;
const ANS_MAX_OFFSET_HZ = 25;
/** Blocks of drift measured before a frequency is trusted. */
const MIN_DRIFT_SAMPLES = 10;
/** 15 Hz modulation depth (V.8 specifies 0.2). */
const ANSAM_MIN_DEPTH = 0.1;
/** A phase step this far off the drift between adjacent blocks is a reversal (a 25 Hz offset drifts π/2 per block). */
const REVERSAL_RAD = 2.0;

const TWO_PI = 2 * Math.PI;
const wrap = (a: number): number => a - TWO_PI * Math.round(a / TWO_PI);

/** A tone's run of blocks: where it started, its last block's DFT bin, its measured drift, phase reversals. */
class ToneRun {
  constructor(
    /** A step this far off the drift between adjacent blocks is a phase reversal (Infinity: never). */
    private readonly reversalRad: number,
  ) {}
  active = false;
  start = 0;
  last = 0;
  misses = 0;
  re = 0;
  im = 0;
  /** Σ of the unit phase steps between adjacent blocks (a circular mean: drift near ±π stays right). */
  private dc = 0;
  private ds = 0;
  driftN = 0;
  reversals = 0;
  reported = false;
  /** ANS envelope per block, a ring of ANS_BLOCKS (the last value held over unclean blocks). */
  readonly env = new Float64Array(ANS_BLOCKS);
  private lastEnv = 0;

  begin(n: number, re: number, im: number, env: number): void {
    this.active = true;
    this.start = this.last = n;
    this.misses = this.dc = this.ds = this.driftN = this.reversals = 0;
    this.reported = false;
    this.re = re;
    this.im = im;
    this.env.fill(env);
    this.lastEnv = env;
  }

  /** A block holding the tone: phase step from the last one (drift, or a reversal). */
  present(n: number, re: number, im: number): void {
    // arg(X_n · conj(X_last))
    const d = Math.atan2(im * this.re - re * this.im, re * this.re + im * this.im);
    const k = n - this.last;
    const mean = this.driftN > 0 ? Math.atan2(this.ds, this.dc) : 0;
    const off = wrap(d - mean * k);
    if (k === 1 && Math.abs(off) <= this.reversalRad) {
      this.dc += Math.cos(d);
      this.ds += Math.sin(d);
      this.driftN++;
    } else if (k > 1 ? Math.abs(off) > Math.PI / 2 && this.reversalRad < Infinity : Math.abs(off) > this.reversalRad) this.reversals++;
    this.last = n;
    this.misses = 0;
    this.re = re;
    this.im = im;
  }

  /** The envelope of block n (held from the last clean block when this one is not). */
  envelope(n: number, env: number | undefined): void {
    if (env !== undefined) this.lastEnv = env;
    this.env[(n - this.start) % ANS_BLOCKS] = this.lastEnv;
  }

  /** Frequency offset from the bin (Hz), or NaN before enough drift was measured. */
  offsetHz(): number {
    return this.driftN >= MIN_DRIFT_SAMPLES ? (Math.atan2(this.ds, this.dc) / TWO_PI) * BLOCKS_PER_S : NaN;
  }

  /** Depth of the envelope's 15 Hz component over the ring (6 whole periods at 100 blocks/s). */
  amDepth(): number {
    let re = 0;
    let im = 0;
    let sum = 0;
    for (let j = 0; j < ANS_BLOCKS; j++) {
      const e = this.env[j]!;
      const w = (TWO_PI * 15 * j) / BLOCKS_PER_S;
      re += e * Math.cos(w);
      im -= e * Math.sin(w);
      sum += e;
    }
    return sum > 0 ? (2 * Math.hypot(re, im)) / sum : 0;
  }
}

const W_CNG = (TWO_PI * CNG_HZ) / 8000;
const W_ANS = (TWO_PI * ANS_HZ) / 8000;
const C_CNG = 2 * Math.cos(W_CNG);
const C_ANS = 2 * Math.cos(W_ANS);
const C_MARK = 2 * Math.cos((TWO_PI * V21_MARK_HZ) / 8000);
const C_SPACE = 2 * Math.cos((TWO_PI * V21_SPACE_HZ) / 8000);

export class FaxToneDetector {
  private readonly block = new Int16Array(FAX_BLOCK);
  private fill = 0;
  private n = 0;
  private readonly minEnergy: number;
  private readonly cng = new ToneRun(Infinity);
  private readonly ans = new ToneRun(REVERSAL_RAD);
  private readonly v21: V21PreambleDetector | undefined;
  private v21Fed = false;
  /** Events of the push() in progress (undefined: none yet, nothing allocated). */
  private out: FaxToneEvent[] | undefined;
  /** Blocks seen, and those that reached the filters. */
  readonly stats = { blocks: 0, analysed: 0 };

  constructor(opts: FaxToneDetectorOptions = {}) {
    const a = dbm0ToPeak(opts.minDbm0 ?? -43);
    this.minEnergy = (FAX_BLOCK * a * a) / 2;
    this.v21 = opts.v21 === false ? undefined : new V21PreambleDetector();
  }

  /** Phase reversals counted in the current (or last) 2100 Hz tone. */
  get ansReversals(): number {
    return this.ans.reversals;
  }

  /** Feeds samples (a 20 ms frame, usually); returns the tones recognised in them. */
  push(samples: Int16Array): FaxToneEvent[] {
    this.out = undefined;
    const len = samples.length;
    let i = 0;
    while (i < len) {
      if (this.fill === 0 && len - i >= FAX_BLOCK) {
        // whole blocks are read where they are (a frame is two blocks): no copy
        this.endBlock(samples, i);
        i += FAX_BLOCK;
      } else {
        const n = Math.min(len - i, FAX_BLOCK - this.fill);
        this.block.set(samples.subarray(i, i + n), this.fill);
        this.fill += n;
        i += n;
        if (this.fill < FAX_BLOCK) break;
        this.fill = 0;
        this.endBlock(this.block, 0);
      }
    }
    const out = this.out ?? NONE;
    this.out = undefined;
    return out;
  }

  private emit(e: FaxToneEvent | undefined): void {
    if (e) (this.out ??= []).push(e);
  }

  /**
   * One block, b[o, o + FAX_BLOCK). Two cheap screens come before the filters: the energy of
   * every 4th sample (a quiet block stops there), then the lag-1 autocorrelation. A block where a
   * tone's bin holds share s of the energy has R1/R0 ≥ s·cos ω − (1 − s) and ≤ s·cos ω + (1 − s);
   * over the tones and shares looked for that is within [−0.65, 0.86], so a block outside
   * [−0.7, 0.88] (voiced speech below 640 Hz, mostly) cannot hold one and skips the filters.
   */
  private endBlock(b: Int16Array, o: number): void {
    const n = this.n++;
    this.stats.blocks++;
    const end = o + FAX_BLOCK;
    let coarse = 0;
    for (let i = o; i < end; i += 4) {
      const x = b[i]!;
      coarse += x * x;
    }
    if (4 * coarse < this.minEnergy / 2) return this.quiet(n);
    let total = 0;
    let r1 = 0;
    let prev = b[o]!;
    for (let i = o; i < end; i++) {
      const x = b[i]!;
      total += x * x;
      r1 += x * prev;
      prev = x;
    }
    if (total < this.minEnergy) return this.quiet(n);
    const rho = r1 / total;
    if (rho > 0.88 || rho < -0.7) return this.quiet(n);
    this.stats.analysed++;
    // Four Goertzel recursions in one pass; 1100 and 2100 Hz as complex bins (phase kept).
    const v21 = this.v21 !== undefined;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    let b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    if (v21) {
      for (let i = o; i < end; i++) {
        const x = b[i]!;
        let t = x + C_CNG * a0 - b0; b0 = a0; a0 = t;
        t = x + C_ANS * a1 - b1; b1 = a1; a1 = t;
        t = x + C_MARK * a2 - b2; b2 = a2; a2 = t;
        t = x + C_SPACE * a3 - b3; b3 = a3; a3 = t;
      }
    } else {
      for (let i = o; i < end; i++) {
        const x = b[i]!;
        let t = x + C_CNG * a0 - b0; b0 = a0; a0 = t;
        t = x + C_ANS * a1 - b1; b1 = a1; a1 = t;
      }
    }
    // X = s1 − s2·e^{−jω}: the same constant phase factor in every block, so steps are true
    const cngRe = a0 - b0 * Math.cos(W_CNG);
    const cngIm = b0 * Math.sin(W_CNG);
    const ansRe = a1 - b1 * Math.cos(W_ANS);
    const ansIm = b1 * Math.sin(W_ANS);
    const scale = 2 / FAX_BLOCK / total;
    const cngShare = (cngRe * cngRe + cngIm * cngIm) * scale;
    const ansShare = (ansRe * ansRe + ansIm * ansIm) * scale;
    if (cngShare >= TONE_SHARE) this.tone(this.cng, n, cngRe, cngIm);
    else this.emit(this.cngAbsent(n));
    if (ansShare >= TONE_SHARE) this.emit(this.ansPresent(n, ansRe, ansIm, ansShare >= CLEAN_SHARE ? Math.sqrt(ansShare * total) : undefined));
    else this.ansAbsent(n);
    if (v21) {
      const pm = a2 * a2 + b2 * b2 - C_MARK * a2 * b2;
      const ps = a3 * a3 + b3 * b3 - C_SPACE * a3 * b3;
      if ((pm + ps) * scale >= V21_SHARE) {
        this.v21Fed = true;
        const at = this.v21!.push(b, o, FAX_BLOCK, n * FAX_BLOCK);
        if (at >= 0) this.emit({ tone: 'v21', atSample: at, startSample: this.v21!.preambleStart });
      } else this.resetV21();
    }
  }

  /** A block that cannot hold a tone (quiet, or failing the screen). */
  private quiet(n: number): void {
    this.ansAbsent(n);
    this.resetV21();
    this.emit(this.cngAbsent(n));
  }

  private resetV21(): void {
    if (!this.v21Fed) return;
    this.v21Fed = false;
    this.v21!.reset();
  }

  private tone(run: ToneRun, n: number, re: number, im: number): void {
    if (run.active) run.present(n, re, im);
    else run.begin(n, re, im, 0);
  }

  private absent(run: ToneRun): boolean {
    if (!run.active) return false;
    if (++run.misses <= MAX_GAP) return false;
    run.active = false;
    return true;
  }

  private ansAbsent(n: number): void {
    if (this.ans.active) this.ans.envelope(n, undefined);
    this.absent(this.ans);
  }

  /** CNG is judged when its burst ends: 400–650 ms of 1100 Hz ± 45 Hz. */
  private cngAbsent(n: number): FaxToneEvent | undefined {
    const run = this.cng;
    if (!this.absent(run)) return undefined;
    const blocks = run.last - run.start + 1;
    const off = run.offsetHz();
    if (blocks < CNG_MIN_BLOCKS || blocks > CNG_MAX_BLOCKS || !(Math.abs(off) <= CNG_MAX_OFFSET_HZ)) return undefined;
    return { tone: 'cng', atSample: (n + 1) * FAX_BLOCK, startSample: run.start * FAX_BLOCK };
  }

  /** ANS is judged once it has lasted ANS_BLOCKS, then once per tone. */
  private ansPresent(n: number, re: number, im: number, env: number | undefined): FaxToneEvent | undefined {
    const run = this.ans;
    if (!run.active) {
      run.begin(n, re, im, env ?? 0);
      return undefined;
    }
    run.present(n, re, im);
    run.envelope(n, env);
    if (run.reported || n - run.start + 1 < ANS_BLOCKS) return undefined;
    if (!(Math.abs(run.offsetHz()) <= ANS_MAX_OFFSET_HZ)) return undefined;
    run.reported = true;
    return { tone: run.amDepth() >= ANSAM_MIN_DEPTH ? 'ansam' : 'ans', atSample: (n + 1) * FAX_BLOCK, startSample: run.start * FAX_BLOCK };
  }
}

const NONE: FaxToneEvent[] = [];
