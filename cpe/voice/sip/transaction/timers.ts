/**
 * SIP timer values (RFC 3261 Table 4, §17; RFC 6026 §8.4 Timers L and M). T1 and T2 come from
 * P209/P250 (FXS) or P440/P441 (FXO) in units of 10 ms: 50 → 500 ms.
 */
export interface SipTimers {
  T1: number;
  T2: number;
  T4: number;
  /** Timer D for unreliable transports (≥ 32 s; P2387/P2487 seconds when set). */
  timerD: number;
}

export function sipTimers(opts: { t1Ms?: number; t2Ms?: number; t4Ms?: number; timerDMs?: number } = {}): SipTimers {
  const T1 = opts.t1Ms ?? 500;
  const T2 = Math.max(opts.t2Ms ?? 4000, T1);
  return { T1, T2, T4: opts.t4Ms ?? 5000, timerD: opts.timerDMs && opts.timerDMs > 0 ? opts.timerDMs : 32_000 };
}

/** P209/P250 style: units of 10 ms. */
export function timersFromPValues(t1: number, t2: number, timerDSeconds = 0): SipTimers {
  return sipTimers({ t1Ms: (t1 > 0 ? t1 : 50) * 10, t2Ms: (t2 > 0 ? t2 : 400) * 10, timerDMs: timerDSeconds * 1000 });
}

/** Timer B, F, H, J, L, M: 64*T1. */
export function txTimeout(t: SipTimers): number {
  return 64 * t.T1;
}

/** Timer A (§17.1.1.2): doubles each time, no cap. */
export function nextTimerA(current: number): number {
  return current * 2;
}

/** Timer E (§17.1.2.2) and G (§17.2.1): doubles, capped at T2. */
export function nextTimerEG(current: number, t: SipTimers): number {
  return Math.min(current * 2, t.T2);
}
