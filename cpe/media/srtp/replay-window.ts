/**
 * The SRTP/SRTCP replay list as a sliding window (RFC 3711 §3.3.2): the highest index
 * authenticated so far and a 64-bit bitmap of it and the 63 indices below it. Indices are up to
 * 48 bits, exact in a JS number; the bitmap is two 32-bit halves. Checked before authentication,
 * updated only after it succeeds.
 */

export const REPLAY_WINDOW_SIZE = 64;

export type ReplayVerdict = 'new' | 'replayed' | 'too-old';

export class ReplayWindow {
  /** Highest accepted index; -1 before the first packet. */
  private top = -1;
  /** Bit d set: index top - d was accepted. lo holds d 0..31, hi d 32..63. */
  private lo = 0;
  private hi = 0;

  get highest(): number {
    return this.top;
  }

  check(index: number): ReplayVerdict {
    const d = this.top - index;
    if (d < 0) return 'new';
    if (d >= REPLAY_WINDOW_SIZE) return 'too-old';
    const bit = d < 32 ? (this.lo >>> d) & 1 : (this.hi >>> (d - 32)) & 1;
    return bit ? 'replayed' : 'new';
  }

  /** Records an authenticated index (check() said 'new'). */
  accept(index: number): void {
    const d = this.top - index;
    if (d < 0) {
      this.shift(-d);
      this.top = index;
      this.lo = (this.lo | 1) >>> 0;
    } else if (d < 32) {
      this.lo = (this.lo | (1 << d)) >>> 0;
    } else if (d < REPLAY_WINDOW_SIZE) {
      this.hi = (this.hi | (1 << (d - 32))) >>> 0;
    }
  }

  private shift(s: number): void {
    if (s >= REPLAY_WINDOW_SIZE) {
      this.lo = 0;
      this.hi = 0;
    } else if (s >= 32) {
      this.hi = s === 32 ? this.lo : (this.lo << (s - 32)) >>> 0;
      this.lo = 0;
    } else {
      this.hi = ((this.hi << s) | (this.lo >>> (32 - s))) >>> 0;
      this.lo = (this.lo << s) >>> 0;
    }
  }
}
