/** Shared printing for benchmarks: figures and the ratio against a baseline measured in the same run. */
export interface Measure {
  readonly name: string;
  readonly ops: number;
  readonly ms: number;
}

/** Runs fn repeatedly for about `budgetMs` (after a warm-up) and returns ops and elapsed ms. */
export function measure(name: string, fn: () => void, budgetMs = 1000, warmup = 5): Measure {
  for (let i = 0; i < warmup; i++) fn();
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    fn();
    ops++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return { name, ops, ms: elapsed };
}

export function line(m: Measure, baseline?: Measure): string {
  const perOp = m.ms / m.ops;
  const rate = (m.ops / m.ms) * 1000;
  const ratio = baseline ? `  ${(perOp / (baseline.ms / baseline.ops)).toFixed(2)}x baseline time` : '';
  return `${m.name.padEnd(48)} ${fmt(rate).padStart(12)} ops/s ${fmtMs(perOp).padStart(12)}/op${ratio}`;
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}

export function fmtMs(ms: number): string {
  return ms >= 1 ? `${ms.toFixed(3)} ms` : `${(ms * 1000).toFixed(1)} µs`;
}
