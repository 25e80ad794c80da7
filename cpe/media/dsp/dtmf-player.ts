/**
 * DTMF received out of band (RFC 4733 events, SIP INFO) played to the phone as tones: an analog
 * phone on the FXS port hears only audio, so the digit the far end signalled must become sound
 * again. Phase-continuous across 20 ms frames; levels as the unit's own DTMF (−8/−6 dBm0).
 */
import { clip16, dbm0ToPeak, FRAME_SAMPLES } from './audio';
import { dtmfFrequencies, type DtmfDigit } from './dtmf-generator';

const LOW = dbm0ToPeak(-8);
const HIGH = dbm0ToPeak(-6);

export class DtmfPlayer {
  private wl = 0;
  private wh = 0;
  private n = 0;
  private digit: DtmfDigit | undefined;
  /** ms (clock time) the tone stops by itself; Infinity until stop() (RFC 4733: until the end packet). */
  private until = 0;

  /** The digit sounding now, if any. */
  playing(nowMs: number): DtmfDigit | undefined {
    return this.digit !== undefined && nowMs < this.until ? this.digit : undefined;
  }

  start(digit: DtmfDigit, untilMs: number): void {
    if (digit !== this.digit || this.until === 0) {
      const [lo, hi] = dtmfFrequencies(digit);
      this.wl = (2 * Math.PI * lo) / 8000;
      this.wh = (2 * Math.PI * hi) / 8000;
      this.n = 0;
    }
    this.digit = digit;
    this.until = untilMs;
  }

  stop(): void {
    this.digit = undefined;
    this.until = 0;
  }

  /** The next frame of tone at `nowMs`, or undefined when no digit sounds. */
  frame(nowMs: number, samples = FRAME_SAMPLES): Int16Array | undefined {
    if (this.playing(nowMs) === undefined) {
      if (this.digit !== undefined) this.stop();
      return undefined;
    }
    const out = new Int16Array(samples);
    for (let i = 0; i < samples; i++, this.n++) out[i] = clip16(LOW * Math.sin(this.wl * this.n) + HIGH * Math.sin(this.wh * this.n));
    return out;
  }
}
