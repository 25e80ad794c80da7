/**
 * A warning that may come once per datagram (a scan, a misconfigured manager) is logged at most
 * once per window; the next line says how many were left out. No timer: the count rides on the
 * next line.
 */
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';

export class RateLimitedLog {
  private windowStart = -Infinity;
  private suppressed = 0;

  constructor(
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly windowMs = 60_000,
  ) {}

  warn(fields: Record<string, unknown>, msg: string): void {
    const now = this.clock.now();
    if (now - this.windowStart < this.windowMs) {
      this.suppressed++;
      return;
    }
    const left = this.suppressed;
    this.suppressed = 0;
    this.windowStart = now;
    this.log.warn(left > 0 ? { ...fields, suppressed: left } : fields, msg);
  }
}
