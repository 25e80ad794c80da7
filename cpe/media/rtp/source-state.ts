/**
 * Per-source reception state, RFC 3550 Appendix A: sequence validation with probation (§A.1),
 * loss and fraction lost for reports (§A.3), interarrival jitter (§A.8).
 */
import type { ReportBlock } from './rtcp-packet';

export const MAX_DROPOUT = 3000;
export const MAX_MISORDER = 100;
export const MIN_SEQUENTIAL = 2;
const RTP_SEQ_MOD = 1 << 16;

export type SeqVerdict = 'ok' | 'probation' | 'duplicate-or-late' | 'bad-jump' | 'restart';

export class RtpSourceState {
  maxSeq = 0;
  cycles = 0;
  baseSeq = 0;
  badSeq = RTP_SEQ_MOD + 1;
  probation = MIN_SEQUENTIAL;
  received = 0;
  expectedPrior = 0;
  receivedPrior = 0;
  /** Interarrival jitter in timestamp units, ×16 fixed point as in §A.8. */
  private jitter16 = 0;
  private transit: number | undefined;
  /** Last SR heard from this source: middle NTP bits and local arrival (ms). */
  lastSr: { middle: number; arrivalMs: number } | undefined;

  constructor(readonly ssrc: number, seq: number) {
    this.initSeq(seq);
    this.maxSeq = seq - 1;
    this.probation = MIN_SEQUENTIAL;
  }

  private initSeq(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
  }

  /** §A.1 update_seq. 'ok' and 'restart' packets are valid and counted. */
  updateSeq(seq: number): SeqVerdict {
    const udelta = (seq - this.maxSeq + RTP_SEQ_MOD) % RTP_SEQ_MOD;
    if (this.probation > 0) {
      if (seq === (this.maxSeq + 1) % RTP_SEQ_MOD) {
        this.probation--;
        this.maxSeq = seq;
        if (this.probation === 0) {
          this.initSeq(seq);
          this.received++;
          return 'ok';
        }
      } else {
        this.probation = MIN_SEQUENTIAL - 1;
        this.maxSeq = seq;
      }
      return 'probation';
    }
    if (udelta < MAX_DROPOUT) {
      if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD;
      this.maxSeq = seq;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      if (seq === this.badSeq) {
        // Two sequential packets after a big jump: the source restarted.
        this.initSeq(seq);
        this.received++;
        return 'restart';
      }
      this.badSeq = (seq + 1) % RTP_SEQ_MOD;
      return 'bad-jump';
    } else if (udelta === 0) {
      return 'duplicate-or-late';
    }
    // else: duplicate or reordered within MAX_MISORDER: counted (§A.1 keeps it).
    this.received++;
    return 'ok';
  }

  /** §A.8: arrival in timestamp units (e.g. ms × 8 at 8 kHz). */
  updateJitter(rtpTimestamp: number, arrivalTs: number): void {
    const transit = (arrivalTs - rtpTimestamp) | 0;
    if (this.transit !== undefined) {
      const d = Math.abs((transit - this.transit) | 0);
      this.jitter16 += d - ((this.jitter16 + 8) >> 4);
    }
    this.transit = transit;
  }

  get jitter(): number {
    return this.jitter16 >> 4;
  }

  get extendedMax(): number {
    return this.cycles + this.maxSeq;
  }

  get expected(): number {
    return this.extendedMax - this.baseSeq + 1;
  }

  /** Cumulative lost (may be negative with duplicates, §A.3). */
  get lost(): number {
    return this.expected - this.received;
  }

  /** A report block for this source; advances the "prior" counters (§A.3). */
  reportBlock(nowMs: number): ReportBlock {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    this.expectedPrior = expected;
    const receivedInterval = this.received - this.receivedPrior;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fraction = expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval << 8) / expectedInterval);
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(255, fraction),
      cumulativeLost: this.lost,
      highestSeq: this.extendedMax >>> 0,
      jitter: this.jitter,
      lsr: this.lastSr?.middle ?? 0,
      dlsr: this.lastSr ? Math.round(((nowMs - this.lastSr.arrivalMs) / 1000) * 65536) >>> 0 : 0,
    };
  }
}
