/**
 * Session retry after a failure: TR-069 §3.2.1.1. The wait before retry n (n ≥ 1, capped at 10)
 * is drawn uniformly from [m·(k/1000)^(n−1), m·(k/1000)^n] seconds, m = CWMPRetryMinimumWaitInterval
 * (default 5), k = CWMPRetryIntervalMultiplier (default 2000): 5–10 s, 10–20 s, … 2560–5120 s.
 */
import type { Random } from '../shared/random';

export const RETRY_COUNT_CAP = 10;

export function retryWindowSeconds(retryCount: number, minWait = 5, multiplier = 2000): [number, number] {
  const n = Math.min(Math.max(1, retryCount), RETRY_COUNT_CAP);
  const r = multiplier / 1000;
  return [minWait * r ** (n - 1), minWait * r ** n];
}

/** TR-069 §3.2.1.1 retry wait in ms for the retryCount-th consecutive failure. */
export function sessionRetryWaitMs(retryCount: number, random: Random, minWait = 5, multiplier = 2000): number {
  const [lo, hi] = retryWindowSeconds(retryCount, minWait, multiplier);
  return Math.round((lo + random.float() * (hi - lo)) * 1000);
}
