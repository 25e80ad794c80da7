/**
 * Comfort noise, RFC 3389: payload = noise level (−dBov, 0–127; 0 dBov = a full-scale square
 * wave, §3.1) then optional reflection coefficients of an LPC model of the noise spectrum, each
 * quantised as round(k·128) + 127 (§3.2; the inverse (q − 127)/128 is what receivers use).
 * The generator filters seeded white noise through the all-pole model and holds the level.
 */
import { DecodeError } from '../../shared/errors';
import type { Random } from '../../shared/random';

export interface ComfortNoise {
  /** −dBov, 0–127. */
  readonly level: number;
  /** Reflection coefficients in (−1, 1), at most 12 would be typical. */
  readonly reflection: readonly number[];
}

export function decodeCn(payload: Uint8Array): ComfortNoise {
  if (payload.length < 1) throw new DecodeError('empty comfort noise payload', 0);
  const level = payload[0]!;
  if (level > 127) throw new DecodeError(`noise level ${level} above 127`, 0);
  return { level, reflection: Array.from(payload.subarray(1), (q) => (q - 127) / 128) };
}

export function encodeCn(cn: ComfortNoise): Buffer {
  const level = Math.max(0, Math.min(127, Math.round(cn.level)));
  return Buffer.from([level, ...cn.reflection.map((k) => Math.max(0, Math.min(254, Math.round(k * 128) + 127)))]);
}

/** −dBov of a frame of background noise. */
export function noiseLevel(frame: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < frame.length; i++) e += frame[i]! * frame[i]!;
  const rms = Math.sqrt(e / Math.max(1, frame.length));
  return rms < 1e-3 ? 127 : Math.max(0, Math.min(127, Math.round(-20 * Math.log10(rms / 32767))));
}

/** Reflection coefficients (Levinson–Durbin on the autocorrelation) of a noise frame. */
export function reflectionCoefficients(frame: ArrayLike<number>, order = 4): number[] {
  const r = new Float64Array(order + 1);
  for (let k = 0; k <= order; k++) for (let i = k; i < frame.length; i++) r[k] = r[k]! + frame[i]! * frame[i - k]!;
  if (r[0]! <= 0) return [];
  const a = new Float64Array(order + 1);
  const ks: number[] = [];
  let err = r[0]!;
  for (let m = 1; m <= order; m++) {
    let acc = r[m]!;
    for (let i = 1; i < m; i++) acc += a[i]! * r[m - i]!;
    const k = -acc / err;
    ks.push(k);
    const prev = Float64Array.from(a);
    a[m] = k;
    for (let i = 1; i < m; i++) a[i] = prev[i]! + k * prev[m - i]!;
    err *= 1 - k * k;
    if (err <= 0) break;
  }
  return ks;
}

/** A comfort noise description of a frame (what a sender puts in a CN packet). */
export function describeNoise(frame: ArrayLike<number>, order = 4): ComfortNoise {
  return { level: noiseLevel(frame), reflection: reflectionCoefficients(frame, order) };
}

export class CnGenerator {
  private a: Float64Array = new Float64Array(1);
  private mem: Float64Array = new Float64Array(0);
  private rms = 0;

  constructor(private readonly random: Random, cn?: ComfortNoise) {
    if (cn) this.update(cn);
  }

  /** A new CN packet arrived. */
  update(cn: ComfortNoise): void {
    const order = cn.reflection.length;
    const a = new Float64Array(order + 1);
    cn.reflection.forEach((k0, idx) => {
      const k = Math.max(-0.99, Math.min(0.99, k0));
      const m = idx + 1;
      const prev = Float64Array.from(a);
      a[m] = k;
      for (let i = 1; i < m; i++) a[i] = prev[i]! + k * prev[m - i]!;
    });
    this.a = a;
    if (this.mem.length !== order) this.mem = new Float64Array(order);
    this.rms = cn.level >= 127 ? 0 : 32767 * 10 ** (-cn.level / 20);
  }

  /** Fills a frame with noise at the described level and spectrum. */
  read(out: Int16Array): Int16Array {
    const y = new Float64Array(out.length);
    const order = this.mem.length;
    let e = 0;
    for (let n = 0; n < out.length; n++) {
      let v = this.random.float() * 2 - 1;
      for (let i = 1; i <= order; i++) v -= this.a[i]! * this.mem[i - 1]!;
      for (let i = order - 1; i > 0; i--) this.mem[i] = this.mem[i - 1]!;
      if (order > 0) this.mem[0] = v;
      y[n] = v;
      e += v * v;
    }
    const g = e > 0 ? this.rms / Math.sqrt(e / out.length) : 0;
    for (let n = 0; n < out.length; n++) out[n] = Math.max(-32768, Math.min(32767, Math.round(y[n]! * g)));
    return out;
  }
}
