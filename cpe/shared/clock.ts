/** Injected time. Every state machine and service takes a Clock; tests use FakeClock. */
export type Cancel = () => void;

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs fn once after ms milliseconds; the returned function cancels it. */
  setTimer(ms: number, fn: () => void): Cancel;
}

/** The real clock, wired only in the composition root. Timers are unref'd so an idle unit never keeps the process alive. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimer(ms: number, fn: () => void): Cancel {
    // setTimeout caps at 2^31-1 ms; longer delays re-arm in steps.
    const MAX = 0x7fffffff;
    if (ms <= MAX) {
      const h = setTimeout(fn, Math.max(0, ms));
      h.unref();
      return () => clearTimeout(h);
    }
    let handle: NodeJS.Timeout;
    const due = Date.now() + ms;
    const arm = (delay: number): void => {
      handle = setTimeout(() => {
        const left = due - Date.now();
        if (left > 0) arm(Math.min(left, MAX));
        else fn();
      }, Math.max(0, Math.min(delay, MAX)));
      handle.unref();
    };
    arm(ms);
    return () => clearTimeout(handle);
  }
}
