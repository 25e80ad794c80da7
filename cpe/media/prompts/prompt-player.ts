/**
 * Plays a sequence of voice prompts as 20 ms frames (a MediaPort the media clock drives): each
 * prompt decoded from its G.726-32 audio when the sequence starts, a short pause between them, then
 * `done` once. What the phone sends back is dropped (its digits reach the voice layer as line events).
 */
import { G726Decoder } from '../codecs/g726';
import { FRAME_SAMPLES, msToSamples } from '../dsp/audio';
import type { MediaPort } from '../media-port';
import { PROMPT_AUDIO } from './prompt-audio';
import type { PromptId } from './prompt-text';

/** Pause after each prompt, so "one nine two" is heard as three words. */
export const PROMPT_GAP_MS = 120;

/** The samples of one prompt (8 kHz, 16-bit). */
export function promptSamples(id: PromptId): Int16Array {
  return new G726Decoder().decode(Buffer.from(PROMPT_AUDIO[id], 'hex'));
}

/** The whole sequence as one block of samples, gaps included. */
export function renderPrompts(ids: readonly PromptId[]): Int16Array {
  const gap = msToSamples(PROMPT_GAP_MS);
  const parts = ids.map(promptSamples);
  const out = new Int16Array(parts.reduce((n, p) => n + p.length + gap, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length + gap;
  }
  return out;
}

export class PromptPlayer implements MediaPort {
  private readonly samples: Int16Array;
  private pos = 0;
  private finished = false;

  constructor(ids: readonly PromptId[], private readonly done: () => void) {
    this.samples = renderPrompts(ids);
  }

  /** Milliseconds of audio in the sequence. */
  get durationMs(): number {
    return (this.samples.length * 1000) / 8000;
  }

  readFrame(): Int16Array {
    const f = new Int16Array(FRAME_SAMPLES);
    if (this.pos < this.samples.length) {
      f.set(this.samples.subarray(this.pos, this.pos + FRAME_SAMPLES));
      this.pos += FRAME_SAMPLES;
    } else if (!this.finished) {
      this.finished = true;
      this.done();
    }
    return f;
  }

  writeFrame(): void {}
}
