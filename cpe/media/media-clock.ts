/**
 * The 20 ms media clock (pjmedia master port; re's telev is poll-driven and owns no clock):
 * one timer from the injected Clock drives every connection and tick handler, so tests run
 * the whole media path faster than real time with a FakeClock. Ticks are scheduled on an
 * absolute grid (start + n × 20 ms) so timer lateness does not accumulate; when the process
 * fell behind by more than 5 ticks the clock skips ahead instead of bursting. With nothing
 * attached the clock keeps no timer.
 */
import type { Cancel, Clock } from '../shared/clock';
import { FRAME_MS } from './dsp/audio';
import type { MediaPort } from './media-port';

export type TickHandler = (tick: number) => void;

export class MediaClock {
  private readonly handlers = new Set<TickHandler>();
  private timer: Cancel | undefined;
  private start = 0;
  private n = 0;
  readonly stats = { ticks: 0, skipped: 0 };

  constructor(private readonly clock: Clock, private readonly frameMs = FRAME_MS) {}

  /** Runs `h` every frame until the returned function is called. */
  onTick(h: TickHandler): () => void {
    this.handlers.add(h);
    if (!this.timer) {
      this.start = this.clock.now();
      this.n = 0;
      this.arm();
    }
    return () => {
      this.handlers.delete(h);
      if (this.handlers.size === 0) this.stop();
    };
  }

  /** Full-duplex connection: every frame, a's output goes into b and b's into a. */
  connect(a: MediaPort, b: MediaPort): () => void {
    return this.onTick(() => {
      const fa = a.readFrame();
      const fb = b.readFrame();
      b.writeFrame(fa);
      a.writeFrame(fb);
    });
  }

  /** One-way: from's frames go into to. */
  pipe(from: { readFrame(): Int16Array }, to: { writeFrame(f: Int16Array): void }): () => void {
    return this.onTick(() => to.writeFrame(from.readFrame()));
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  private arm(): void {
    const due = this.start + (this.n + 1) * this.frameMs;
    this.timer = this.clock.setTimer(Math.max(0, due - this.clock.now()), () => this.fire());
  }

  private fire(): void {
    this.timer = undefined;
    this.n++;
    const behind = Math.floor((this.clock.now() - this.start) / this.frameMs) - this.n;
    if (behind > 5) {
      this.stats.skipped += behind;
      this.n += behind;
    }
    this.stats.ticks++;
    for (const h of [...this.handlers]) h(this.n);
    if (this.handlers.size > 0 && !this.timer) this.arm();
  }

  stop(): void {
    this.timer?.();
    this.timer = undefined;
  }
}
