/**
 * ITU-T G.711 µ-law and A-law (G.711 Tables 1a/1b and 2a/2b), 16-bit linear in and out.
 * µ-law: 14-bit magnitude with bias 33 (0x84 on the 16-bit scale), clipped at 32635;
 * A-law: 13-bit, even bits inverted (0x55). Decoding is a 256-entry table; encoding a
 * 8192-entry table indexed by the top 13 bits (µ-law) / 12 bits (A-law) of the sample.
 */
const BIAS = 0x84;
const CLIP = 32635;

function ulawEncodeSlow(sample: number): number {
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exp = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exp > 0; mask >>= 1) exp--;
  const mant = (s >> (exp + 3)) & 0x0f;
  return ~(sign | (exp << 4) | mant) & 0xff;
}

function ulawDecodeSlow(code: number): number {
  const u = ~code & 0xff;
  const t = (((u & 0x0f) << 3) + BIAS) << ((u & 0x70) >> 4);
  return u & 0x80 ? BIAS - t : t - BIAS;
}

function alawEncodeSlow(sample: number): number {
  let s = sample >> 3; // 13-bit
  let mask: number;
  if (s >= 0) mask = 0xd5;
  else {
    mask = 0x55;
    s = -s - 1;
  }
  const seg = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff].findIndex((end) => s <= end);
  if (seg < 0) return 0x7f ^ mask;
  const aval = (seg << 4) | ((seg < 2 ? s >> 1 : s >> seg) & 0x0f);
  return aval ^ mask;
}

function alawDecodeSlow(code: number): number {
  const a = code ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

// Immutable lookup tables, built once.
const ULAW_DEC = Int16Array.from({ length: 256 }, (_, c) => ulawDecodeSlow(c));
const ALAW_DEC = Int16Array.from({ length: 256 }, (_, c) => alawDecodeSlow(c));
/** Indexed by (sample >> 2) + 8192: µ-law ignores the 2 low bits. */
const ULAW_ENC = Uint8Array.from({ length: 16384 }, (_, i) => ulawEncodeSlow((i - 8192) << 2));
/** Indexed by (sample >> 3) + 4096: A-law ignores the 3 low bits. */
const ALAW_ENC = Uint8Array.from({ length: 8192 }, (_, i) => alawEncodeSlow((i - 4096) << 3));

export function ulawEncode(sample: number): number {
  return ULAW_ENC[(sample >> 2) + 8192]!;
}
export function ulawDecode(code: number): number {
  return ULAW_DEC[code & 0xff]!;
}
export function alawEncode(sample: number): number {
  return ALAW_ENC[(sample >> 3) + 4096]!;
}
export function alawDecode(code: number): number {
  return ALAW_DEC[code & 0xff]!;
}

/** Encodes into `out` from `offset` (default a new array); returns `out`. */
export function encodeUlaw(pcm: Int16Array, out: Uint8Array = new Uint8Array(pcm.length), offset = 0): Uint8Array {
  for (let i = 0; i < pcm.length; i++) out[offset + i] = ULAW_ENC[(pcm[i]! >> 2) + 8192]!;
  return out;
}
export function decodeUlaw(bytes: Uint8Array, out: Int16Array = new Int16Array(bytes.length)): Int16Array {
  for (let i = 0; i < bytes.length; i++) out[i] = ULAW_DEC[bytes[i]!]!;
  return out;
}
export function encodeAlaw(pcm: Int16Array, out: Uint8Array = new Uint8Array(pcm.length), offset = 0): Uint8Array {
  for (let i = 0; i < pcm.length; i++) out[offset + i] = ALAW_ENC[(pcm[i]! >> 3) + 4096]!;
  return out;
}
export function decodeAlaw(bytes: Uint8Array, out: Int16Array = new Int16Array(bytes.length)): Int16Array {
  for (let i = 0; i < bytes.length; i++) out[i] = ALAW_DEC[bytes[i]!]!;
  return out;
}

/** The code of digital silence: µ-law 0xFF, A-law 0xD5. */
export const ULAW_SILENCE = 0xff;
export const ALAW_SILENCE = 0xd5;
