/**
 * AES in counter mode as SRTP defines it (RFC 3711 §4.1.1): keystream block i is
 * E(k_e, IV + i mod 2^128), the IV built from the session salt, SSRC and packet index.
 * One AES-128-ECB cipher per key, kept for the context's life and fed whole counter blocks,
 * so a packet costs one `update()` and no cipher set-up. AES itself is node:crypto's.
 */
import { createCipheriv, type Cipher } from 'node:crypto';

const BLOCK = 16;
/** The IV's low 16 bits count blocks, so one IV covers 2^16 blocks (RFC 3711 §4.1.1). */
const MAX_KEYSTREAM = BLOCK * 0x10000;

export class AesCm {
  private readonly ecb: Cipher;
  /** Counter blocks for the next update(), grown on demand; owned by this instance. */
  private counters = Buffer.alloc(BLOCK * 16);

  constructor(key: Uint8Array) {
    if (key.length !== 16) throw new RangeError(`AES-128 key must be 16 octets, got ${key.length}`);
    this.ecb = createCipheriv('aes-128-ecb', key, null);
    this.ecb.setAutoPadding(false);
  }

  /** `length` octets of keystream starting at counter block `iv` (16 octets). */
  keystream(iv: Uint8Array, length: number): Buffer {
    if (iv.length !== BLOCK) throw new RangeError(`AES-CM counter block must be 16 octets, got ${iv.length}`);
    if (length === 0) return Buffer.alloc(0);
    if (length > MAX_KEYSTREAM) throw new RangeError(`keystream longer than ${MAX_KEYSTREAM} octets`);
    const blocks = Math.ceil(length / BLOCK);
    const bytes = blocks * BLOCK;
    if (this.counters.length < bytes) this.counters = Buffer.alloc(Math.max(bytes, this.counters.length * 2));
    const c = this.counters;
    c.fill(iv, 0, bytes); // every block starts as the IV, then block b adds b to the low 16 bits
    const low = (iv[14]! << 8) | iv[15]!;
    for (let b = 1; b < blocks; b++) {
      const v = low + b;
      if (v > 0xffff) writeCounter(c, b * BLOCK, iv, b); // carry beyond 16 bits (never from an SRTP IV)
      else {
        c[b * BLOCK + 14] = v >>> 8;
        c[b * BLOCK + 15] = v & 0xff;
      }
    }
    const ks = this.ecb.update(c.subarray(0, bytes));
    return ks.length === length ? ks : ks.subarray(0, length);
  }

  /** dst[dstAt..] = src[from..to) XOR keystream(iv); dst may be src (in place). */
  xor(iv: Uint8Array, src: Uint8Array, from: number, to: number, dst: Uint8Array, dstAt: number): void {
    const n = to - from;
    if (n <= 0) return;
    const ks = this.keystream(iv, n);
    for (let i = 0; i < n; i++) dst[dstAt + i] = src[from + i]! ^ ks[i]!;
  }
}

/** iv + n as a 128-bit big-endian sum, written at `out[at..at+16)`. */
function writeCounter(out: Buffer, at: number, iv: Uint8Array, n: number): void {
  out.set(iv, at);
  if (n === 0) return;
  let carry = n;
  for (let i = at + BLOCK - 1; i >= at && carry > 0; i--) {
    const s = out[i]! + (carry & 0xff);
    out[i] = s & 0xff;
    carry = (carry >>> 8) + (s >>> 8);
  }
}

/**
 * The SRTP/SRTCP counter block (RFC 3711 §4.1.1):
 * IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), for a 14-octet session salt k_s and a
 * packet index i below 2^48 (the SRTP index ROC || SEQ, or the 31-bit SRTCP index).
 */
export function writeAesCmIv(out: Uint8Array, sessionSalt: Uint8Array, ssrc: number, index: number): void {
  const hi = Math.floor(index / 0x10000) >>> 0; // index bits 16..47 (the ROC for SRTP)
  const lo = index & 0xffff; // index bits 0..15 (SEQ for SRTP)
  const k = sessionSalt;
  out[0] = k[0]!;
  out[1] = k[1]!;
  out[2] = k[2]!;
  out[3] = k[3]!;
  out[4] = k[4]! ^ (ssrc >>> 24);
  out[5] = k[5]! ^ ((ssrc >>> 16) & 0xff);
  out[6] = k[6]! ^ ((ssrc >>> 8) & 0xff);
  out[7] = k[7]! ^ (ssrc & 0xff);
  out[8] = k[8]! ^ (hi >>> 24);
  out[9] = k[9]! ^ ((hi >>> 16) & 0xff);
  out[10] = k[10]! ^ ((hi >>> 8) & 0xff);
  out[11] = k[11]! ^ (hi & 0xff);
  out[12] = k[12]! ^ (lo >>> 8);
  out[13] = k[13]! ^ (lo & 0xff);
  out[14] = 0;
  out[15] = 0;
}

export function aesCmIv(sessionSalt: Uint8Array, ssrc: number, index: number): Buffer {
  const iv = Buffer.alloc(16);
  writeAesCmIv(iv, sessionSalt, ssrc, index);
  return iv;
}
