/**
 * The T.30 preamble on V.21 channel 2 (300 bit/s, mark 1650 Hz, space 1850 Hz): a run of HDLC
 * flags 0x7E. On the line each flag is six marks between zeros, so flag after flag is 6 bits of
 * mark and 2 bits of space, over and over; bit stuffing keeps six ones from any other HDLC data
 * (ISO/IEC 13239), so that rhythm names the preamble.
 *
 * A delay-line FM discriminator (x[n]·x[n−20]: cos(2π·1650·20/8000) = +0.707, for 1850 −0.707)
 * with an 8-sample moving sum, a 6-sample debounce, and run lengths measured in bits. It runs
 * only on blocks the caller's energy gate passes (fax-tone-detector.ts), so voice costs nothing here.
 */
import { V21_BAUD } from './fax-tones';

const DELAY = 20;
const SMOOTH = 8;
const DEBOUNCE = 6;
const SAMPLES_PER_BIT = 8000 / V21_BAUD;
/** Flags in a row that make a preamble (≈ 213 ms of the 1 s T.30 sends). */
export const V21_FLAGS_NEEDED = 8;

/**
 * Run lengths in bits that count as a flag's six marks and its two spaces: the discriminator's
 * delay line puts the mark→space edge later than the space→mark one (by about 0.4 bit here), so
 * the ranges lean that way; a flag (space + marks) stays 8 bits.
 */
const MARKS = [5.2, 6.6] as const;
const SPACES = [1.5, 2.8] as const;
/** The preamble's very first zero stands alone. */
const FIRST_SPACE = [0.5, 2.8] as const;
const within = (b: number, r: readonly [number, number]): boolean => b >= r[0] && b <= r[1];

export class V21PreambleDetector {
  private readonly hist = new Float64Array(DELAY);
  private readonly prods = new Float64Array(SMOOTH);
  private h = 0;
  private p = 0;
  private sum = 0;
  /** Samples seen since reset (the delay line and smoother are full after DELAY + SMOOTH). */
  private warm = 0;
  /** The accepted level: +1 mark, −1 space, 0 none yet. */
  private level = 0;
  /** Consecutive samples of the other sign (debounce). */
  private against = 0;
  /** Where the current run started (sample index). */
  private runStart = 0;
  /** The last run of space was a flag's 2 zeros (or the preamble's first), and its length in bits. */
  private spaceOk = false;
  private spaceBits = 0;
  private spaceStart = 0;
  flags = 0;
  /** Where the flags being counted began (the first flag's leading zero). */
  preambleStart = 0;

  reset(): void {
    this.hist.fill(0);
    this.prods.fill(0);
    this.sum = 0;
    this.warm = 0;
    this.level = 0;
    this.against = 0;
    this.spaceOk = false;
    this.flags = 0;
  }

  /**
   * Feeds samples [start, start+n) of `block`, whose first sample has index `at` in the stream.
   * Returns the index of the sample where the preamble was recognised, or −1.
   */
  push(block: Int16Array, start: number, n: number, at: number): number {
    let found = -1;
    for (let i = 0; i < n; i++) {
      const x = block[start + i]!;
      const prod = x * this.hist[this.h]!;
      this.hist[this.h] = x;
      this.h = this.h + 1 === DELAY ? 0 : this.h + 1;
      this.sum += prod - this.prods[this.p]!;
      this.prods[this.p] = prod;
      this.p = this.p + 1 === SMOOTH ? 0 : this.p + 1;
      if (++this.warm < DELAY + SMOOTH) continue;
      const s = this.sum > 0 ? 1 : -1;
      if (s === this.level) {
        this.against = 0;
        continue;
      }
      if (++this.against < DEBOUNCE) continue;
      // the level changed DEBOUNCE samples ago: that ends the run before it
      const edge = at + i - DEBOUNCE + 1;
      if (this.level !== 0 && this.runEnded(this.level, this.runStart, edge) && found < 0) found = at + i;
      this.level = s;
      this.against = 0;
      this.runStart = edge;
    }
    return found;
  }

  /** A run of `level` over [from, to) ended; true when it completed the preamble. */
  private runEnded(level: number, from: number, to: number): boolean {
    const bits = (to - from) / SAMPLES_PER_BIT;
    if (level < 0) {
      this.spaceOk = within(bits, this.flags === 0 ? FIRST_SPACE : SPACES);
      this.spaceBits = bits;
      this.spaceStart = from;
      if (!this.spaceOk) this.flags = 0;
      return false;
    }
    if (within(bits, MARKS) && this.spaceOk && (this.flags === 0 || Math.abs(bits + this.spaceBits - 8) <= 0.5)) {
      if (this.flags === 0) this.preambleStart = this.spaceStart;
      this.flags++;
      return this.flags === V21_FLAGS_NEEDED;
    }
    this.flags = 0;
    this.spaceOk = false;
    return false;
  }
}
