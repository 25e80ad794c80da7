import { randomBytes, randomFillSync } from 'node:crypto';

/** Injected randomness: branches, tags, cnonces, SSRCs, CWMP IDs all come from here so seeded tests replay. */
export interface Random {
  bytes(n: number): Buffer;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** Uniform float in [0, 1). */
  float(): number;
}

/**
 * The operating system's CSPRNG, drawn in 4 KiB blocks: a fleet asks for millions of 8-byte
 * branches and tags, and one randomFillSync per block costs less than one per request. Every byte
 * is handed out once; a block is never refilled (slices keep it alive), so callers own what they get.
 */
export class CryptoRandom implements Random {
  private static readonly BLOCK = 4096;
  private pool = Buffer.alloc(0);
  private offset = 0;

  bytes(n: number): Buffer {
    if (n > CryptoRandom.BLOCK / 4) return randomBytes(n);
    if (this.offset + n > this.pool.length) {
      this.pool = randomFillSync(Buffer.allocUnsafeSlow(CryptoRandom.BLOCK));
      this.offset = 0;
    }
    const out = this.pool.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
  int(maxExclusive: number): number {
    if (maxExclusive <= 1) return 0;
    // rejection sampling over 48 bits: exactly uniform
    const limit = Math.floor(2 ** 48 / maxExclusive) * maxExclusive;
    for (;;) {
      const v = this.bytes(6).readUIntBE(0, 6);
      if (v < limit) return v % maxExclusive;
    }
  }
  float(): number {
    return this.bytes(6).readUIntBE(0, 6) / 2 ** 48;
  }
}

/** Deterministic generator (xorshift128+) for tests and reproducible fleets. Not for secrets. */
export class SeededRandom implements Random {
  private s0: bigint;
  private s1: bigint;
  private static readonly MASK = (1n << 64n) - 1n;

  constructor(seed: number) {
    this.s0 = (BigInt(seed) * 0x9e3779b97f4a7c15n + 1n) & SeededRandom.MASK;
    this.s1 = (this.s0 ^ 0xbf58476d1ce4e5b9n) & SeededRandom.MASK;
    for (let i = 0; i < 8; i++) this.next();
  }

  private next(): bigint {
    let x = this.s0;
    const y = this.s1;
    this.s0 = y;
    x ^= (x << 23n) & SeededRandom.MASK;
    this.s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return (this.s1 + y) & SeededRandom.MASK;
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = Number(this.next() & 0xffn);
    return out;
  }
  int(maxExclusive: number): number {
    return maxExclusive <= 1 ? 0 : Math.floor(this.float() * maxExclusive);
  }
  float(): number {
    return Number(this.next() >> 11n) / 2 ** 53;
  }
}
