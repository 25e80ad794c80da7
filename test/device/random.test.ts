import assert from 'node:assert/strict';
import { CryptoRandom, SeededRandom } from '../../cpe/shared/random';

describe('CryptoRandom (pooled CSPRNG)', () => {
  it('hands out each byte once: slices never overlap, across block refills', () => {
    const r = new CryptoRandom();
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const b = r.bytes(8);
      assert.equal(b.length, 8);
      const hex = b.toString('hex');
      assert.ok(!seen.has(hex), 'a repeated 64-bit value means a reused slice');
      seen.add(hex);
    }
  });

  it('a slice the caller changes does not change the next one', () => {
    const r = new CryptoRandom();
    const a = r.bytes(4);
    const b = r.bytes(4);
    const before = Buffer.from(b);
    a.fill(0);
    assert.deepEqual(b, before);
  });

  it('large requests come straight from the OS', () => {
    assert.equal(new CryptoRandom().bytes(5000).length, 5000);
  });

  it('int is in range and reaches every value', () => {
    const r = new CryptoRandom();
    const hits = new Array<number>(7).fill(0);
    for (let i = 0; i < 7000; i++) {
      const v = r.int(7);
      assert.ok(Number.isInteger(v) && v >= 0 && v < 7);
      hits[v] = (hits[v] ?? 0) + 1;
    }
    assert.ok(hits.every((h) => h > 0));
    assert.equal(r.int(1), 0);
    const f = r.float();
    assert.ok(f >= 0 && f < 1);
  });

  it('SeededRandom replays', () => {
    assert.deepEqual(new SeededRandom(5).bytes(16), new SeededRandom(5).bytes(16));
  });
});
