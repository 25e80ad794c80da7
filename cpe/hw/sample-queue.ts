import { FRAME_SAMPLES } from '../media/dsp/audio';

/**
 * Sample blocks of any length (DTMF digits, caller-ID bursts) played out in 20 ms frames, in the
 * order queued. Used by what a line sends upstream: the FXO port's dialing and the phone's keypad.
 */
export class SampleQueue {
  private readonly blocks: Int16Array[] = [];
  private offset = 0;

  push(...samples: Int16Array[]): void {
    this.blocks.push(...samples);
  }

  get empty(): boolean {
    return this.blocks.length === 0;
  }

  clear(): void {
    this.blocks.length = 0;
    this.offset = 0;
  }

  /** The next frame (zero-padded at the end of the queue), or undefined when nothing is queued. */
  takeFrame(): Int16Array | undefined {
    if (this.blocks.length === 0) return undefined;
    const out = new Int16Array(FRAME_SAMPLES);
    let o = 0;
    while (o < FRAME_SAMPLES && this.blocks.length > 0) {
      const cur = this.blocks[0]!;
      const n = Math.min(FRAME_SAMPLES - o, cur.length - this.offset);
      out.set(cur.subarray(this.offset, this.offset + n), o);
      o += n;
      this.offset += n;
      if (this.offset >= cur.length) {
        this.blocks.shift();
        this.offset = 0;
      }
    }
    return out;
  }
}
