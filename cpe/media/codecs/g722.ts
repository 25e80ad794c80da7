/**
 * ITU-T G.722 sub-band ADPCM at 64 kbit/s (mode 1), 16 kHz audio: a 24-tap QMF splits each pair
 * of samples into a lower band coded with 6 bits and a higher band coded with 2 bits, one octet
 * per pair (G.722 §3–§4). Integer arithmetic as in the Recommendation: codes and decoded samples
 * are bit-exact against spandsp (test/media/g722.test.ts), except that an overflowing receive
 * QMF output is saturated here where spandsp lets it wrap around.
 */

/** QMF coefficients h0..h11 (G.722 Table 11); the filter is symmetric (24 taps). */
const QMF = [3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11] as const;

/** Lower-band quantizer decision levels (Table 14), as multiples of the scale factor / 4096. */
const Q6 = [0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919];
/** 6-bit codes for negative / positive differences by quantizer interval. */
const ILN = [0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4];
const ILP = [0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32];
/** Inverse quantizer outputs: 4-bit (predictor update), 6-bit (mode 1 reconstruction), 2-bit (higher band). */
const QM4 = [0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0];
const QM6 = [
  -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856, -7192, -6576, -6000, -5456, -4944, -4464, -4008,
  -3576, -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728, 24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360, 8576, 7856, 7192, 6576, 6000,
  5456, 4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136, -432, -136,
];
const QM2 = [-7408, -1616, 7408, 1616];
/** Log scale factor multipliers (Tables 16, 17) and the magnitude index they are looked up by. */
const WL = [-60, -30, 58, 172, 334, 538, 1198, 3042];
const RL42 = [0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0];
const WH = [0, -214, 798];
const RH2 = [2, 1, 2, 1];
const IHN = [0, 1, 0];
const IHP = [0, 3, 2];
/** Inverse log: 2^(i/32) in Q11 (Table 18). */
const ILB = [2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834, 2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008];

const sat = (x: number): number => (x > 32767 ? 32767 : x < -32768 ? -32768 : x);

/** One sub-band's adaptive predictor and scale factor (G.722 §3.5–§3.8, blocks 3 and 4). */
class Band {
  s = 0;
  sp = 0;
  sz = 0;
  nb = 0;
  det: number;
  private readonly r = [0, 0, 0];
  private readonly a = [0, 0, 0];
  private readonly ap = [0, 0, 0];
  private readonly p = [0, 0, 0];
  private readonly d = [0, 0, 0, 0, 0, 0, 0];
  private readonly b = [0, 0, 0, 0, 0, 0, 0];
  private readonly bp = [0, 0, 0, 0, 0, 0, 0];

  constructor(
    det: number,
    private readonly nbMax: number,
    private readonly wbase: number,
    private readonly wtable: readonly number[],
  ) {
    this.det = det;
  }

  /** LOGSCL / SCALEL (lower) or LOGSCH / SCALEH (higher): the next scale factor from the code's magnitude index. */
  adaptScale(index: number): void {
    let nb = ((this.nb * 127) >> 7) + this.wtable[index]!;
    if (nb < 0) nb = 0;
    else if (nb > this.nbMax) nb = this.nbMax;
    this.nb = nb;
    const shift = this.wbase - (nb >> 11);
    const v = ILB[(nb >> 6) & 31]!;
    this.det = (shift < 0 ? v << -shift : v >> shift) << 2;
  }

  /** Block 4: reconstruction, pole and zero predictor updates, the next prediction `s`. */
  predict(dq: number): void {
    const { r, a, ap, p, d, b, bp } = this;
    d[0] = dq;
    r[0] = sat(this.s + dq);
    p[0] = sat(this.sz + dq);
    // UPPOL2
    const sg0 = p[0] >> 15;
    const sg1 = p[1]! >> 15;
    const sg2 = p[2]! >> 15;
    let wd1 = sat(a[1]! << 2);
    let wd2 = sg0 === sg1 ? -wd1 : wd1;
    if (wd2 > 32767) wd2 = 32767;
    let wd3 = (wd2 >> 7) + (sg0 === sg2 ? 128 : -128) + ((a[2]! * 32512) >> 15);
    if (wd3 > 12288) wd3 = 12288;
    else if (wd3 < -12288) wd3 = -12288;
    ap[2] = wd3;
    // UPPOL1
    wd1 = sg0 === sg1 ? 192 : -192;
    wd2 = (a[1]! * 32640) >> 15;
    ap[1] = sat(wd1 + wd2);
    wd3 = sat(15360 - ap[2]);
    if (ap[1] > wd3) ap[1] = wd3;
    else if (ap[1] < -wd3) ap[1] = -wd3;
    // UPZERO
    wd1 = dq === 0 ? 0 : 128;
    const sgd = dq >> 15;
    for (let i = 1; i < 7; i++) {
      wd2 = d[i]! >> 15 === sgd ? wd1 : -wd1;
      bp[i] = sat(wd2 + ((b[i]! * 32640) >> 15));
    }
    // DELAYZ, DELAYA
    for (let i = 6; i > 0; i--) {
      d[i] = d[i - 1]!;
      b[i] = bp[i]!;
    }
    for (let i = 2; i > 0; i--) {
      r[i] = r[i - 1]!;
      p[i] = p[i - 1]!;
      a[i] = ap[i]!;
    }
    // FILTEP, FILTEZ, PREDIC
    this.sp = sat(((a[1]! * sat(r[1]! + r[1]!)) >> 15) + ((a[2]! * sat(r[2]! + r[2]!)) >> 15));
    let sz = 0;
    for (let i = 6; i > 0; i--) sz += (b[i]! * sat(d[i]! + d[i]!)) >> 15;
    this.sz = sat(sz);
    this.s = sat(this.sp + this.sz);
  }
}

const lowerBand = (): Band => new Band(32, 18432, 8, WL);
const higherBand = (): Band => new Band(8, 22528, 10, WH);

export class G722Encoder {
  private readonly x = new Int32Array(24);
  private readonly low = lowerBand();
  private readonly high = higherBand();

  /** 16 kHz samples (an even count) → one code octet per pair. */
  encode(pcm: ArrayLike<number>, out: Uint8Array = new Uint8Array(pcm.length >> 1)): Uint8Array {
    const x = this.x;
    for (let j = 0, k = 0; j + 1 < pcm.length; j += 2, k++) {
      // Transmit QMF (§3.2): shift in two samples, keep one output per band.
      x.copyWithin(0, 2);
      x[22] = pcm[j]!;
      x[23] = pcm[j + 1]!;
      let even = 0;
      let odd = 0;
      for (let i = 0; i < 12; i++) {
        odd += x[2 * i]! * QMF[i]!;
        even += x[2 * i + 1]! * QMF[11 - i]!;
      }
      const xl = (even + odd) >> 14;
      const xh = (even - odd) >> 14;
      // Lower band: 6-bit quantizer (QUANTL), 4-bit inverse for the predictor (INVQAL).
      const low = this.low;
      const el = sat(xl - low.s);
      let m = el >= 0 ? el : -(el + 1);
      let i = 1;
      for (; i < 30; i++) if (m < (Q6[i]! * low.det) >> 12) break;
      const il = el < 0 ? ILN[i]! : ILP[i]!;
      const ril = il >> 2;
      const dl = (low.det * QM4[ril]!) >> 15;
      low.adaptScale(RL42[ril]!);
      low.predict(dl);
      // Higher band: 2-bit quantizer (QUANTH, INVQAH).
      const high = this.high;
      const eh = sat(xh - high.s);
      m = eh >= 0 ? eh : -(eh + 1);
      const mih = m >= (564 * high.det) >> 12 ? 2 : 1;
      const ih = eh < 0 ? IHN[mih]! : IHP[mih]!;
      const dh = (high.det * QM2[ih]!) >> 15;
      high.adaptScale(RH2[ih]!);
      high.predict(dh);
      out[k] = (ih << 6) | il;
    }
    return out;
  }
}

export class G722Decoder {
  private readonly x = new Int32Array(24);
  private readonly low = lowerBand();
  private readonly high = higherBand();

  /** Code octets → 16 kHz samples, two per octet. */
  decode(codes: ArrayLike<number>, out: Int16Array = new Int16Array(codes.length * 2)): Int16Array {
    const x = this.x;
    for (let k = 0; k < codes.length; k++) {
      const code = codes[k]!;
      const il = code & 0x3f;
      const ih = (code >> 6) & 0x03;
      // Lower band: 6-bit reconstruction (INVQBL, mode 1), 4-bit difference for the predictor.
      const low = this.low;
      let rl = low.s + ((low.det * QM6[il]!) >> 15);
      if (rl > 16383) rl = 16383;
      else if (rl < -16384) rl = -16384;
      const ril = il >> 2;
      const dl = (low.det * QM4[ril]!) >> 15;
      low.adaptScale(RL42[ril]!);
      low.predict(dl);
      // Higher band.
      const high = this.high;
      const dh = (high.det * QM2[ih]!) >> 15;
      let rh = dh + high.s;
      if (rh > 16383) rh = 16383;
      else if (rh < -16384) rh = -16384;
      high.adaptScale(RH2[ih]!);
      high.predict(dh);
      // Receive QMF (§4.4).
      x.copyWithin(0, 2);
      x[22] = rl + rh;
      x[23] = rl - rh;
      let x1 = 0;
      let x2 = 0;
      for (let i = 0; i < 12; i++) {
        x2 += x[2 * i]! * QMF[i]!;
        x1 += x[2 * i + 1]! * QMF[11 - i]!;
      }
      out[2 * k] = sat(x1 >> 11);
      out[2 * k + 1] = sat(x2 >> 11);
    }
    return out;
  }
}
