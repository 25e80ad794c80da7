/**
 * The sample format of the media path: 8 kHz, 16-bit signed linear PCM, mono, in 20 ms frames
 * of 160 samples (G.711 §1; RFC 3551 §4.5.14 PCMU/PCMA default packetisation).
 */
export const SAMPLE_RATE = 8000;
export const FRAME_MS = 20;
export const FRAME_SAMPLES = (SAMPLE_RATE * FRAME_MS) / 1000;

/**
 * Levels are in dBm0. A sine whose peak reaches the G.711 full scale is +3.17 dBm0 (G.711 §3,
 * Tables 5 and 6: the digital milliwatt is 3.17 dB below the µ-law overload point), and 16-bit
 * full scale (32767) is mapped onto that overload point.
 */
export const FULL_SCALE_DBM0 = 3.17;

/** Peak amplitude (16-bit linear) of a sine at `dbm0`. */
export function dbm0ToPeak(dbm0: number): number {
  return 32767 * 10 ** ((dbm0 - FULL_SCALE_DBM0) / 20);
}

/** Level in dBm0 of a sine with this peak amplitude. */
export function peakToDbm0(peak: number): number {
  return peak <= 0 ? -Infinity : 20 * Math.log10(peak / 32767) + FULL_SCALE_DBM0;
}

/** Level in dBm0 of a signal by its RMS (a sine's RMS is peak/√2). */
export function rmsToDbm0(rms: number): number {
  return peakToDbm0(rms * Math.SQRT2);
}

export function rms(samples: ArrayLike<number>, start = 0, length = samples.length - start): number {
  let e = 0;
  for (let i = start; i < start + length; i++) {
    const v = samples[i]!;
    e += v * v;
  }
  return length > 0 ? Math.sqrt(e / length) : 0;
}

/** Rounds and saturates to int16. */
export function clip16(x: number): number {
  const r = Math.round(x);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

/** Milliseconds → whole samples at 8 kHz. */
export function msToSamples(ms: number): number {
  return Math.round((ms * SAMPLE_RATE) / 1000);
}

/** Joins sample blocks into one. */
export function concatSamples(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A block of silence. */
export function silence(ms: number): Int16Array {
  return new Int16Array(msToSamples(ms));
}

/** Sums blocks sample by sample with saturation (the shorter ones padded with silence). */
export function mixSamples(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(Math.max(0, ...parts.map((p) => p.length)));
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (const p of parts) s += p[i] ?? 0;
    out[i] = clip16(s);
  }
  return out;
}
