/**
 * One timer on the injected clock for a session's limits: the login grace time, then the idle
 * timeout. Activity only records the time; the timer, when it fires early, re-arms for the rest,
 * so a busy session costs no timer churn. Stopped, it leaves nothing armed.
 */
import type { Cancel, Clock } from '../shared/clock';

export class Deadline {
  private cancel: Cancel | undefined;
  private last = 0;
  private limit: () => number = () => 0;

  constructor(
    private readonly clock: Clock,
    private readonly onExpiry: () => void,
  ) {}

  /** (Re)starts the watch: expiry after `limitMs()` without touch(); the limit is read again at expiry. */
  arm(limitMs: () => number): void {
    this.stop();
    this.limit = limitMs;
    this.last = this.clock.now();
    this.schedule(limitMs());
  }

  touch(): void {
    this.last = this.clock.now();
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  private schedule(ms: number): void {
    this.cancel = this.clock.setTimer(Math.max(0, ms), () => {
      this.cancel = undefined;
      const left = this.last + this.limit() - this.clock.now();
      if (left > 0) this.schedule(left);
      else this.onExpiry();
    });
  }
}
