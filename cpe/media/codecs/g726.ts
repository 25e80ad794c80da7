/**
 * ITU-T G.726 at 32 kbit/s (4-bit ADPCM, the former G.721), linear PCM in and out.
 * Integer arithmetic as in G.726 §4 (blocks FMULT, ACCUM, QUAN, RECONST, ADAPT_*, TRANS,
 * TONE), modelled on the public-domain Sun Microsystems reference (g72x.c / g721.c).
 * Input: 16-bit samples reduced to the 14-bit uniform PCM G.726 works on (x >> 2); output
 * scaled back (<< 2). RTP packing (RFC 3551 §4.5.4): first codeword in the 4 least
 * significant bits of the first octet.
 */
const QTAB = [-124, 80, 178, 246, 300, 349, 400];
const DQLNTAB = [-2048, 4, 135, 213, 273, 323, 373, 425, 425, 373, 323, 273, 213, 135, 4, -2048];
const WITAB = [-12, 18, 41, 64, 112, 198, 355, 1122, 1122, 355, 198, 112, 64, 41, 18, -12];
const FITAB = [0, 0, 0, 0x200, 0x200, 0x200, 0x600, 0xe00, 0xe00, 0x600, 0x200, 0x200, 0x200, 0, 0, 0];

/** C `short` conversion. */
const s16 = (x: number): number => (x << 16) >> 16;

function quan(val: number, table: readonly number[], size: number): number {
  let i = 0;
  for (; i < size; i++) if (val < table[i]!) break;
  return i;
}

/** quan(val, POWER2, 15): the bit length of val, capped at 15 (0 for val ≤ 0). */
function bitlen15(val: number): number {
  if (val <= 0) return 0;
  const b = 32 - Math.clz32(val);
  return b > 15 ? 15 : b;
}

function fmult(an: number, srn: number): number {
  const anmag = an > 0 ? an : -an & 0x1fff;
  const anexp = bitlen15(anmag) - 6;
  const anmant = anmag === 0 ? 32 : anexp >= 0 ? anmag >> anexp : anmag << -anexp;
  const wanexp = anexp + ((srn >> 6) & 0xf) - 13;
  const wanmant = (anmant * (srn & 0o77) + 0x30) >> 4;
  const retval = wanexp >= 0 ? (wanmant << wanexp) & 0x7fff : wanmant >> -wanexp;
  return (an ^ srn) < 0 ? -retval : retval;
}

/** The adaptive state shared by encoder and decoder (G.726 §4.2). */
class G726State {
  yl = 34816;
  yu = 544;
  dms = 0;
  dml = 0;
  ap = 0;
  readonly a = new Int32Array(2);
  readonly b = new Int32Array(6);
  readonly pk = new Int32Array(2);
  readonly dq = Int32Array.of(32, 32, 32, 32, 32, 32);
  readonly sr = Int32Array.of(32, 32);
  td = 0;

  predictorZero(): number {
    let sezi = fmult(this.b[0]! >> 2, this.dq[0]!);
    for (let i = 1; i < 6; i++) sezi += fmult(this.b[i]! >> 2, this.dq[i]!);
    return s16(sezi);
  }

  predictorPole(): number {
    return s16(fmult(this.a[1]! >> 2, this.sr[1]!) + fmult(this.a[0]! >> 2, this.sr[0]!));
  }

  stepSize(): number {
    if (this.ap >= 256) return this.yu;
    let y = this.yl >> 6;
    const dif = this.yu - y;
    const al = this.ap >> 2;
    if (dif > 0) y += (dif * al) >> 6;
    else if (dif < 0) y += (dif * al + 0x3f) >> 6;
    return y;
  }

  update(y: number, wi: number, fi: number, dq: number, sr: number, dqsez: number): void {
    const pk0 = dqsez < 0 ? 1 : 0;
    let mag = dq & 0x7fff;
    // TRANS
    const ylint = this.yl >> 15;
    const ylfrac = (this.yl >> 10) & 0x1f;
    const thr1 = (32 + ylfrac) << ylint;
    const thr2 = ylint > 9 ? 31 << 10 : thr1;
    const dqthr = (thr2 + (thr2 >> 1)) >> 1;
    const tr = this.td === 0 ? 0 : mag <= dqthr ? 0 : 1;
    // Quantizer scale factor adaptation
    this.yu = y + ((wi - y) >> 5);
    if (this.yu < 544) this.yu = 544;
    else if (this.yu > 5120) this.yu = 5120;
    this.yl += this.yu + (-this.yl >> 6);
    let a2p = 0;
    if (tr === 1) {
      this.a.fill(0);
      this.b.fill(0);
    } else {
      const pks1 = pk0 ^ this.pk[0]!;
      // UPA2
      a2p = s16(this.a[1]! - (this.a[1]! >> 7));
      if (dqsez !== 0) {
        const fa1 = pks1 ? this.a[0]! : -this.a[0]!;
        if (fa1 < -8191) a2p -= 0x100;
        else if (fa1 > 8191) a2p += 0xff;
        else a2p += fa1 >> 5;
        if (pk0 ^ this.pk[1]!) {
          if (a2p <= -12160) a2p = -12288;
          else if (a2p >= 12416) a2p = 12288;
          else a2p -= 0x80;
        } else if (a2p <= -12416) a2p = -12288;
        else if (a2p >= 12160) a2p = 12288;
        else a2p += 0x80;
      }
      this.a[1] = s16(a2p);
      // UPA1
      this.a[0] = s16(this.a[0]! - (this.a[0]! >> 8));
      if (dqsez !== 0) this.a[0] = s16(pks1 === 0 ? this.a[0]! + 192 : this.a[0]! - 192);
      // LIMD
      const a1ul = 15360 - a2p;
      if (this.a[0]! < -a1ul) this.a[0] = -a1ul;
      else if (this.a[0]! > a1ul) this.a[0] = a1ul;
      // UPB
      for (let c = 0; c < 6; c++) {
        this.b[c] = s16(this.b[c]! - (this.b[c]! >> 8));
        if (dq & 0x7fff) this.b[c] = s16((dq ^ this.dq[c]!) >= 0 ? this.b[c]! + 128 : this.b[c]! - 128);
      }
    }
    for (let c = 5; c > 0; c--) this.dq[c] = this.dq[c - 1]!;
    // FLOAT A
    if (mag === 0) this.dq[0] = dq >= 0 ? 0x20 : s16(0xfc20);
    else {
      const exp = bitlen15(mag);
      this.dq[0] = s16(dq >= 0 ? (exp << 6) + ((mag << 6) >> exp) : (exp << 6) + ((mag << 6) >> exp) - 0x400);
    }
    this.sr[1] = this.sr[0]!;
    // FLOAT B
    if (sr === 0) this.sr[0] = 0x20;
    else if (sr > 0) {
      const exp = bitlen15(sr);
      this.sr[0] = (exp << 6) + ((sr << 6) >> exp);
    } else if (sr > -32768) {
      mag = -sr;
      const exp = bitlen15(mag);
      this.sr[0] = s16((exp << 6) + ((mag << 6) >> exp) - 0x400);
    } else this.sr[0] = s16(0xfc20);
    // DELAY A
    this.pk[1] = this.pk[0]!;
    this.pk[0] = pk0;
    // TONE
    if (tr === 1) this.td = 0;
    else if (a2p < -11776) this.td = 1;
    else this.td = 0;
    // Adaptation speed control
    this.dms = s16(this.dms + ((fi - this.dms) >> 5));
    this.dml = s16(this.dml + (((fi << 2) - this.dml) >> 7));
    if (tr === 1) this.ap = 256;
    else if (y < 1536) this.ap += (0x200 - this.ap) >> 4;
    else if (this.td === 1) this.ap += (0x200 - this.ap) >> 4;
    else if (Math.abs((this.dms << 2) - this.dml) >= this.dml >> 3) this.ap += (0x200 - this.ap) >> 4;
    else this.ap += -this.ap >> 4;
  }
}

function quantize(d: number, y: number): number {
  const dqm = Math.abs(d);
  const exp = bitlen15(dqm >> 1);
  const mant = ((dqm << 7) >> exp) & 0x7f;
  const dl = (exp << 7) + mant;
  const dln = dl - (y >> 2);
  const i = quan(dln, QTAB, 7);
  if (d < 0) return 15 - i;
  if (i === 0) return 15;
  return i;
}

function reconstruct(sign: number, dqln: number, y: number): number {
  const dql = dqln + (y >> 2);
  if (dql < 0) return sign ? -0x8000 : 0;
  const dex = (dql >> 7) & 15;
  const dqt = 128 + (dql & 127);
  const dq = (dqt << 7) >> (14 - dex);
  return sign ? dq - 0x8000 : dq;
}

export class G726Encoder {
  private readonly st = new G726State();

  /** One 16-bit sample → one 4-bit codeword. */
  encodeSample(sample: number): number {
    const st = this.st;
    const sl = sample >> 2;
    const sezi = st.predictorZero();
    const sez = sezi >> 1;
    const se = s16(sezi + st.predictorPole()) >> 1;
    const d = s16(sl - se);
    const y = st.stepSize();
    const i = quantize(d, y);
    const dq = s16(reconstruct(i & 8, DQLNTAB[i]!, y));
    const sr = s16(dq < 0 ? se - (dq & 0x3fff) : se + dq);
    const dqsez = s16(sr + sez - se);
    st.update(y, WITAB[i]! << 5, FITAB[i]!, dq, sr, dqsez);
    return i;
  }

  /** Codewords of a block of samples. */
  encodeCodes(pcm: Int16Array): Uint8Array {
    return Uint8Array.from(pcm, (s) => this.encodeSample(s));
  }

  /** RTP payload of a frame (an even number of samples), RFC 3551 packing. */
  encode(pcm: Int16Array): Buffer {
    return packG726(this.encodeCodes(pcm));
  }
}

export class G726Decoder {
  private readonly st = new G726State();

  decodeCode(code: number): number {
    const st = this.st;
    const i = code & 0x0f;
    const sezi = st.predictorZero();
    const sez = sezi >> 1;
    const se = s16(sezi + st.predictorPole()) >> 1;
    const y = st.stepSize();
    const dq = s16(reconstruct(i & 0x08, DQLNTAB[i]!, y));
    const sr = s16(dq < 0 ? se - (dq & 0x3fff) : se + dq);
    const dqsez = s16(sr - se + sez);
    st.update(y, WITAB[i]! << 5, FITAB[i]!, dq, sr, dqsez);
    return s16(sr << 2); // as the reference: 14-bit sr fits; pathological input wraps
  }

  decodeCodes(codes: ArrayLike<number>): Int16Array {
    return Int16Array.from({ length: codes.length }, (_, k) => this.decodeCode(codes[k]!));
  }

  decode(payload: Uint8Array): Int16Array {
    return this.decodeCodes(unpackG726(payload));
  }
}

/** RFC 3551 §4.5.4: codeword k of each octet pair in the low nibble first. */
export function packG726(codes: ArrayLike<number>): Buffer {
  const out = Buffer.alloc(Math.ceil(codes.length / 2));
  for (let k = 0; k < codes.length; k++) out[k >> 1] = out[k >> 1]! | ((codes[k]! & 0x0f) << ((k & 1) * 4));
  return out;
}

export function unpackG726(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length * 2);
  for (let k = 0; k < payload.length; k++) {
    out[2 * k] = payload[k]! & 0x0f;
    out[2 * k + 1] = payload[k]! >> 4;
  }
  return out;
}
