import { randomBytes, randomInt } from 'node:crypto';

/** Injected randomness: branches, tags, cnonces, SSRCs, CWMP IDs all come from here so seeded tests replay. */
export interface Random {
  bytes(n: number): Buffer;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** Uniform float in [0, 1). */
  float(): number;
}

export class CryptoRandom implements Random {
  bytes(n: number): Buffer {
    return randomBytes(n);
  }
  int(maxExclusive: number): number {
    return maxExclusive <= 1 ? 0 : randomInt(maxExclusive);
  }
  float(): number {
    return randomBytes(6).readUIntBE(0, 6) / 2 ** 48;
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
