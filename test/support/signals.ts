/** Test signals for the DSP tests: seeded white Gaussian noise, and adding it to audio. */
import { clip16, dbm0ToPeak } from '../../cpe/media/dsp/audio';
import { SeededRandom } from '../../cpe/shared/random';

/** White Gaussian noise at `dbm0` (RMS), seeded (Box–Muller). */
export function noise(n: number, dbm0: number, seed: number): Float64Array {
  const r = new SeededRandom(seed);
  const sigma = dbm0ToPeak(dbm0) / Math.SQRT2;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = sigma * Math.sqrt(-2 * Math.log(1 - r.float())) * Math.cos(2 * Math.PI * r.float());
  return out;
}

/** `x` plus `n`, saturated to 16 bits. */
export function plus(x: Int16Array, n: Float64Array): Int16Array {
  return Int16Array.from(x, (v, i) => clip16(v + (n[i] ?? 0)));
}
