import { SeededRandom } from '../../../cpe/shared/random';
import type { ParamDef } from '../../../cpe/params/types';

/** 40 string parameters P1000..P1039 for the durability test: small values, many of them per batch. */
export const DURABILITY_DEFS: ParamDef[] = Array.from({ length: 40 }, (_, i) => ({
  id: 1000 + i,
  name: `test.value${i}`,
  type: { kind: 'string', maxLength: 16 } as const,
  default: '',
  level: 'admin' as const,
  reset: 'other' as const,
}));

/**
 * Batch number k of the stream, a pure function of (seed, k): 1-20 entries; one batch in ten
 * carries an over-long value and must be rejected whole.
 */
export function batchAt(seed: number, k: number): Array<[number, string]> {
  const r = new SeededRandom(seed * 1_000_003 + k);
  const n = 1 + r.int(20);
  const out: Array<[number, string]> = [];
  for (let i = 0; i < n; i++) out.push([1000 + r.int(40), `v${k}.${r.int(1000)}`]);
  if (r.int(10) === 0) out.push([1000 + r.int(40), 'x'.repeat(17)]);
  // One value per P-number in a batch (later wins), as the store requires.
  const dedup = new Map(out);
  return [...dedup.entries()];
}

/** The expected values after the first k batches of the stream. */
export function stateAfter(seed: number, k: number): Map<number, string> {
  const state = new Map<number, string>(DURABILITY_DEFS.map((d) => [d.id, '']));
  for (let i = 0; i < k; i++) {
    const b = batchAt(seed, i);
    if (b.some(([, v]) => v.length > 16)) continue;
    for (const [id, v] of b) state.set(id, v);
  }
  return state;
}
