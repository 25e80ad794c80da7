/**
 * Frames carved out of larger blocks, as Node's Buffer pool does for small buffers: a frame a
 * port hands on every 20 ms costs a view, not a buffer of its own (an off-heap allocation and,
 * later, a free on V8's sweeper thread). A frame is never handed out twice, so the receiver may
 * keep it; a block lives as long as any of its frames.
 */
const BLOCK_SAMPLES = 2048;

export class FramePool {
  private block = new Int16Array(0);
  private used = 0;

  /** A zeroed array of `n` samples. */
  take(n: number): Int16Array {
    if (n > BLOCK_SAMPLES >> 2) return new Int16Array(n);
    if (this.used + n > this.block.length) {
      this.block = new Int16Array(BLOCK_SAMPLES);
      this.used = 0;
    }
    const f = this.block.subarray(this.used, this.used + n);
    this.used += n;
    return f;
  }

  /** A copy of `src[start, end)`. */
  copy(src: Int16Array, start: number, end: number): Int16Array {
    const f = this.take(end - start);
    for (let i = 0; i < f.length; i++) f[i] = src[start + i]!; // no second view for a 160-sample copy
    return f;
  }
}
