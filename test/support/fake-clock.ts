import type { Cancel, Clock } from '../../cpe/shared/clock';

interface Pending {
  due: number;
  seq: number;
  fn: () => void;
}

/** A clock that moves only when told. Timers fire in due order (ties in arm order) inside advance(). */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(start = Date.UTC(2026, 0, 1, 0, 0, 0)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimer(ms: number, fn: () => void): Cancel {
    const p: Pending = { due: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.pending.push(p);
    return () => {
      this.pending = this.pending.filter((x) => x !== p);
    };
  }

  /** Moves time forward by ms, firing every timer that falls due on the way (including ones armed meanwhile). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.nextDue();
      if (!next || next.due > end) break;
      this.pending = this.pending.filter((x) => x !== next);
      this.t = next.due;
      next.fn();
    }
    this.t = end;
  }

  /** Runs pending timers until none is left or `limit` fired (guards against self-re-arming loops). */
  runAll(limit = 10_000): void {
    for (let i = 0; i < limit; i++) {
      const next = this.nextDue();
      if (!next) return;
      this.advance(next.due - this.t);
    }
    throw new Error('FakeClock.runAll: timer limit reached');
  }

  /** Pending timers count: an idle unit should have none it does not need. */
  get timerCount(): number {
    return this.pending.length;
  }

  /** ms until the next timer, or undefined. */
  nextDelay(): number | undefined {
    const n = this.nextDue();
    return n ? n.due - this.t : undefined;
  }

  private nextDue(): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.pending) if (!best || p.due < best.due || (p.due === best.due && p.seq < best.seq)) best = p;
    return best;
  }
}
