/**
 * 8 kHz ⇄ 16 kHz by a factor of two, for wideband codecs (G.722) on the unit's 8 kHz line audio:
 * a linear-phase half-band FIR (Kaiser-windowed sinc, 4 kHz cut-off) removes the images when
 * going up and the aliases when going down. Stateful across frames; one instance per direction
 * and stream.
 */

/** Half-band filter taps (odd length; every other tap but the centre is zero). */
function halfBand(taps: number, beta: number): Float64Array {
  const h = new Float64Array(taps);
  const m = (taps - 1) / 2;
  const i0 = (x: number): number => {
    let s = 1;
    let t = 1;
    for (let k = 1; k < 30; k++) {
      t *= (x / (2 * k)) ** 2;
      s += t;
    }
    return s;
  };
  for (let n = 0; n < taps; n++) {
    const k = n - m;
    const sinc = k === 0 ? 0.5 : Math.sin((Math.PI * k) / 2) / (Math.PI * k);
    h[n] = sinc * (i0(beta * Math.sqrt(1 - (k / m) ** 2)) / i0(beta));
  }
  return h;
}

/** 47 taps, β 6: > 60 dB stop band from 4.6 kHz (at 16 kHz), flat to 3.4 kHz within 0.1 dB. */
const H = halfBand(47, 6);
const TAPS = H.length;
/** The taps that are not zero (a half-band filter has zeros at every other offset from its centre). */
const NZ_AT = Int32Array.from([...H.keys()].filter((k) => Math.abs(H[k]!) > 1e-12));
const NZ_H = Float64Array.from(NZ_AT, (k) => H[k]!);
const NZ = NZ_AT.length;

/** Σ h[k]·hist[(pos + k) mod TAPS] over the non-zero taps: the FIR output for the newest sample. */
function fir(hist: Float64Array, pos: number): number {
  let acc = 0;
  for (let i = 0; i < NZ; i++) {
    let j = pos + NZ_AT[i]!;
    if (j >= TAPS) j -= TAPS;
    acc += NZ_H[i]! * hist[j]!;
  }
  return acc;
}

/** 8 kHz → 16 kHz: zero-stuffing, then the half-band filter with gain 2. */
export class Upsampler2 {
  private readonly hist = new Float64Array(TAPS);
  private pos = 0;

  process(input: ArrayLike<number>, out: Int16Array = new Int16Array(input.length * 2)): Int16Array {
    for (let i = 0; i < input.length; i++) {
      out[2 * i] = this.push(2 * input[i]!);
      out[2 * i + 1] = this.push(0);
    }
    return out;
  }

  private push(x: number): number {
    this.hist[this.pos] = x;
    this.pos = (this.pos + 1) % TAPS;
    return clip(fir(this.hist, this.pos));
  }
}

/** 16 kHz → 8 kHz: the half-band filter, then every other sample. */
export class Downsampler2 {
  private readonly hist = new Float64Array(TAPS);
  private pos = 0;

  process(input: ArrayLike<number>, out: Int16Array = new Int16Array(input.length >> 1)): Int16Array {
    for (let i = 0; i + 1 < input.length; i += 2) {
      this.feed(input[i]!);
      out[i >> 1] = this.feedAndFilter(input[i + 1]!);
    }
    return out;
  }

  private feed(x: number): void {
    this.hist[this.pos] = x;
    this.pos = (this.pos + 1) % TAPS;
  }

  private feedAndFilter(x: number): number {
    this.feed(x);
    return clip(fir(this.hist, this.pos));
  }
}

function clip(x: number): number {
  const r = Math.round(x);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}
