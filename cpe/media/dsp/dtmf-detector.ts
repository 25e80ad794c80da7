/**
 * DTMF receiver (ITU-T Q.24 behaviour) by Goertzel filters over 102-sample blocks (12.75 ms).
 * A block holds a digit only when all of these hold (what keeps speech and music from
 * "talking off" a digit):
 *  - each of the strongest low and high tones is above the minimum level;
 *  - twist (high − low) within [−reverseTwistDb, +normalTwistDb];
 *  - each of the two beats every other tone of its group by `relativePeakDb`;
 *  - the two tones carry at least `toneToTotal` of the block's energy (speech spreads energy);
 *  - the high tone's second harmonic is weak (voiced speech is harmonic-rich).
 * A digit starts after 2 consecutive agreeing blocks (≈ 25 ms) and ends after 2 blocks
 * without it, so one noisy block neither creates nor splits a digit.
 */
import { dbm0ToPeak } from './audio';
import { goertzelCoefficient, goertzelEnergy } from './goertzel';
import { DTMF_HIGH, DTMF_KEYS, DTMF_LOW, type DtmfDigit } from './dtmf-generator';

export interface DtmfDetectorOptions {
  /** Minimum level per tone, dBm0 (default −36). */
  readonly minDbm0?: number;
  /** High group stronger than low by at most (default 8 dB). */
  readonly normalTwistDb?: number;
  /** Low group stronger than high by at most (default 6 dB). */
  readonly reverseTwistDb?: number;
  readonly relativePeakDb?: number;
  readonly toneToTotal?: number;
}

export interface DtmfDetection {
  readonly digit: DtmfDigit;
  /** Sample index (from the detector's start) where the digit was first seen. */
  readonly startSample: number;
  /** Sample index where it ended; undefined in the start event. */
  readonly endSample?: number;
}

export const DTMF_BLOCK = 102;
const LOW_C = DTMF_LOW.map((f) => goertzelCoefficient(f));
const HIGH_C = DTMF_HIGH.map((f) => goertzelCoefficient(f));
const HIGH_H2 = DTMF_HIGH.map((f) => goertzelCoefficient(2 * f));
const db = (x: number): number => 10 ** (x / 10);

/** Goertzel state → component energy (Σx² units) over a block of DTMF_BLOCK samples. */
function e(s1: number, s2: number, c: number): number {
  return (2 * (s1 * s1 + s2 * s2 - c * s1 * s2)) / DTMF_BLOCK;
}

export class DtmfDetector {
  /** 16-bit, as every audio path carries (a quarter of a Float64Array's cache footprint per stream). */
  private readonly block = new Int16Array(DTMF_BLOCK);
  private fill = 0;
  /** Σx² of the block filled so far. */
  private energy = 0;
  private samples = 0;
  private readonly minEnergy: number;
  private readonly normalTwist: number;
  private readonly reverseTwist: number;
  private readonly relPeak: number;
  private readonly toneToTotal: number;
  /** Digit seen in the previous block (candidate), and how many in a row. */
  private last: DtmfDigit | undefined;
  private lastRun = 0;
  private current: DtmfDigit | undefined;
  private currentStart = 0;
  private missRun = 0;
  /** Counters for status and tests. */
  readonly stats = { blocks: 0, digits: 0 };

  constructor(opts: DtmfDetectorOptions = {}) {
    const a = dbm0ToPeak(opts.minDbm0 ?? -36);
    this.minEnergy = (DTMF_BLOCK * a * a) / 2;
    this.normalTwist = db(opts.normalTwistDb ?? 8);
    this.reverseTwist = db(opts.reverseTwistDb ?? 6);
    this.relPeak = db(opts.relativePeakDb ?? 6);
    this.toneToTotal = opts.toneToTotal ?? 0.7;
  }

  /** The digit currently held down, if any. */
  get digit(): DtmfDigit | undefined {
    return this.current;
  }

  /** Feeds samples; returns the digit starts and ends they completed, in order. */
  push(samples: ArrayLike<number>): DtmfDetection[] {
    const events: DtmfDetection[] = [];
    // Int16Array (every audio path) gets its own loop: one element kind keeps the copy monomorphic.
    if (samples instanceof Int16Array) this.pushInt16(samples, events);
    else {
      for (let i = 0; i < samples.length; i++) {
        const v = Math.round(samples[i]!);
        const x = v > 32767 ? 32767 : v < -32768 ? -32768 : v; // what a 16-bit line carries
        this.block[this.fill++] = x;
        this.energy += x * x;
        if (this.fill === DTMF_BLOCK) this.endBlock(events);
      }
    }
    return events;
  }

  /** Copies a block's worth at a time, summing its energy on the way (classify needs both). */
  private pushInt16(samples: Int16Array, events: DtmfDetection[]): void {
    const block = this.block;
    const n = samples.length;
    let i = 0;
    while (i < n) {
      let f = this.fill;
      let energy = this.energy;
      const stop = Math.min(n, i + DTMF_BLOCK - f);
      for (; i < stop; i++) {
        const x = samples[i]!;
        block[f++] = x;
        energy += x * x;
      }
      this.fill = f;
      this.energy = energy;
      if (f === DTMF_BLOCK) this.endBlock(events);
    }
  }

  private endBlock(events: DtmfDetection[]): void {
    this.fill = 0;
    this.samples += DTMF_BLOCK;
    this.stats.blocks++;
    const total = this.energy;
    this.energy = 0;
    this.onBlock(this.classify(total), events);
  }

  /** Ends a digit still held (call at end of stream). */
  flush(): DtmfDetection[] {
    const events: DtmfDetection[] = [];
    if (this.current) events.push({ digit: this.current, startSample: this.currentStart, endSample: this.samples });
    this.current = undefined;
    this.last = undefined;
    this.lastRun = 0;
    return events;
  }

  private onBlock(d: DtmfDigit | undefined, events: DtmfDetection[]): void {
    const blockStart = this.samples - DTMF_BLOCK;
    if (d !== undefined && d === this.last) this.lastRun++;
    else this.lastRun = d === undefined ? 0 : 1;
    this.last = d;
    if (this.current !== undefined) {
      if (d === this.current) {
        this.missRun = 0;
        return;
      }
      this.missRun++;
      if (this.missRun < 2 && d === undefined) return;
      events.push({ digit: this.current, startSample: this.currentStart, endSample: blockStart - (this.missRun - 1) * DTMF_BLOCK });
      this.current = undefined;
    }
    if (d !== undefined && this.lastRun >= 2) {
      this.current = d;
      this.currentStart = blockStart - DTMF_BLOCK;
      this.missRun = 0;
      this.stats.digits++;
      events.push({ digit: d, startSample: this.currentStart });
    }
  }

  private readonly row = new Float64Array(4);
  private readonly col = new Float64Array(4);

  /**
   * The low group's four Goertzel recursions, then the high group's, each in one pass over the
   * block (four filters keep their state in registers). Every test on the low group alone runs
   * before the high group is computed: speech and music rarely get past it, and the order
   * changes no decision, only the work spent on blocks that fail.
   */
  private classify(total: number): DtmfDigit | undefined {
    const b = this.block;
    const n = DTMF_BLOCK;
    // Silence and weak signals cannot hold two tones above the minimum: skip the filters.
    if (total < 2 * this.minEnergy) return undefined;
    const row = this.row;
    const col = this.col;
    goertzel4(b, LOW_C, row);
    let br = 0;
    for (let k = 1; k < 4; k++) if (row[k]! > row[br]!) br = k;
    const r = row[br]!;
    if (r < this.minEnergy) return undefined;
    for (let k = 0; k < 4; k++) if (k !== br && row[k]! * this.relPeak > r) return undefined;
    // The high tone is at most r × normalTwist (checked below), so r + c can reach
    // toneToTotal × total only if r + r × normalTwist does.
    if (r + r * this.normalTwist < this.toneToTotal * total) return undefined;
    goertzel4(b, HIGH_C, col);
    let bc = 0;
    for (let k = 1; k < 4; k++) if (col[k]! > col[bc]!) bc = k;
    const c = col[bc]!;
    if (c < this.minEnergy) return undefined;
    if (c > r * this.normalTwist || r > c * this.reverseTwist) return undefined;
    for (let k = 0; k < 4; k++) if (k !== bc && col[k]! * this.relPeak > c) return undefined;
    if (r + c < this.toneToTotal * total) return undefined;
    // High-group second harmonic at least 20 dB down (talk-off guard). The low group's harmonics
    // (1394, 1540, 1704 Hz) sit within one 78 Hz bin of high-group tones, so they are not checked.
    if (goertzelEnergy(b, 0, n, HIGH_H2[bc]!) > c / 100) return undefined;
    return DTMF_KEYS[br]![bc] as DtmfDigit;
  }
}

/** Four Goertzel recursions over one DTMF block in a single pass; energies into `out`. */
function goertzel4(b: Int16Array, coeffs: readonly number[], out: Float64Array): void {
  const c0 = coeffs[0]!, c1 = coeffs[1]!, c2 = coeffs[2]!, c3 = coeffs[3]!;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0;
  for (let i = 0; i < DTMF_BLOCK; i++) {
    const x = b[i]!;
    let t = x + c0 * a0 - b0; b0 = a0; a0 = t;
    t = x + c1 * a1 - b1; b1 = a1; a1 = t;
    t = x + c2 * a2 - b2; b2 = a2; a2 = t;
    t = x + c3 * a3 - b3; b3 = a3; a3 = t;
  }
  out[0] = e(a0, b0, c0);
  out[1] = e(a1, b1, c1);
  out[2] = e(a2, b2, c2);
  out[3] = e(a3, b3, c3);
}

/** Detects the digits of a whole recording (start order), e.g. for tests and the CLI. */
export function detectDtmf(samples: ArrayLike<number>, opts?: DtmfDetectorOptions): string {
  const det = new DtmfDetector(opts);
  return det
    .push(samples)
    .concat(det.flush())
    .filter((e) => e.endSample === undefined)
    .map((e) => e.digit)
    .join('');
}
