/**
 * Conference mixer (the HT813's local 3-way calling, P4830 Bellcore-style): N parties, each
 * hears the sum of the others (never itself), summed in 32 bits and saturated to 16.
 * Each party is a MediaPort given to the media clock's `connect`; the mixer's `tick()` must
 * run once per frame after the parties wrote (MediaClock.onTick does it in order).
 */
import { FRAME_SAMPLES } from './dsp/audio';
import type { MediaPort } from './media-port';

export class ConferenceMixer {
  private readonly inputs = new Map<string, Int16Array>();
  private readonly outputs = new Map<string, Int16Array>();

  constructor(readonly maxParties = 3) {}

  get parties(): string[] {
    return [...this.inputs.keys()];
  }

  /** Adds a party; the returned port is what that party's leg connects to. */
  join(id: string): MediaPort {
    if (this.inputs.has(id)) throw new RangeError(`party ${id} already in the conference`);
    if (this.inputs.size >= this.maxParties) throw new RangeError(`conference full (${this.maxParties} parties)`);
    this.inputs.set(id, new Int16Array(FRAME_SAMPLES));
    this.outputs.set(id, new Int16Array(FRAME_SAMPLES));
    return {
      writeFrame: (f) => {
        if (this.inputs.has(id)) this.inputs.set(id, f);
      },
      readFrame: () => this.outputs.get(id) ?? new Int16Array(FRAME_SAMPLES),
    };
  }

  leave(id: string): void {
    this.inputs.delete(id);
    this.outputs.delete(id);
  }

  /** Mixes this frame: every output = sum of all inputs − own input. */
  tick(): void {
    const sum = new Int32Array(FRAME_SAMPLES);
    for (const f of this.inputs.values()) for (let i = 0; i < FRAME_SAMPLES; i++) sum[i] = sum[i]! + (f[i] ?? 0);
    for (const [id, f] of this.inputs) {
      const out = new Int16Array(FRAME_SAMPLES);
      for (let i = 0; i < FRAME_SAMPLES; i++) {
        const v = sum[i]! - (f[i] ?? 0);
        out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
      this.outputs.set(id, out);
      this.inputs.set(id, new Int16Array(FRAME_SAMPLES)); // a party that stops writing is silent
    }
  }
}
