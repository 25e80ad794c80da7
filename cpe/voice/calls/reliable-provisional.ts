/**
 * The UAS half of RFC 3262 (100rel, P272): a provisional response sent reliably carries
 * `Require: 100rel` and an RSeq (§7.1: first value random in 1..2^31-1, then +1), and is sent
 * again from T1 doubling until a PRACK whose RAck names it arrives (§3). One is outstanding at a
 * time; a later one waits its turn. After 64*T1 without the PRACK the caller is told, and rejects
 * the INVITE with a 5xx (§3). A final response ends the retransmissions, while PRACKs of what was
 * sent are still answered 200.
 */
import type { Cancel, Clock } from '../../shared/clock';
import type { Random } from '../../shared/random';
import type { SipResponse } from '../sip/syntax/message';

export interface ReliableProvisionalDeps {
  readonly clock: Clock;
  readonly random: Random;
  /** RFC 3261 T1 (ms). */
  readonly t1: number;
  /** Hands the response to the INVITE server transaction (again, for a retransmission). */
  send(res: SipResponse): void;
  /** No PRACK for 64*T1: reject the INVITE (§3). */
  unacknowledged(): void;
}

const RSEQ_MAX = 2 ** 31 - 1;

export class ReliableProvisionals {
  private next: number;
  private outstanding: { res: SipResponse; rseq: number; cancel: Cancel; giveUp: Cancel } | undefined;
  private readonly waiting: SipResponse[] = [];
  /** RSeq values sent, for PRACKs that arrive after the final response. */
  private readonly sent = new Set<number>();
  private stopped = false;

  constructor(private readonly d: ReliableProvisionalDeps) {
    this.next = 1 + d.random.int(RSEQ_MAX);
  }

  /** Sends `res` (a 101-199) reliably: now, or once the one before it is acknowledged. */
  send(res: SipResponse): void {
    if (this.stopped) return;
    if (this.outstanding) {
      this.waiting.push(res);
      return;
    }
    const rseq = this.next;
    this.next = this.next >= RSEQ_MAX ? 1 : this.next + 1;
    res.headers.remove('Require').remove('RSeq');
    res.headers.add('Require', '100rel');
    res.headers.add('RSeq', String(rseq));
    this.sent.add(rseq);
    let interval = this.d.t1;
    const again = (): Cancel =>
      this.d.clock.setTimer(interval, () => {
        if (!this.outstanding || this.outstanding.rseq !== rseq) return;
        this.d.send(res);
        interval *= 2;
        this.outstanding.cancel = again();
      });
    this.outstanding = {
      res,
      rseq,
      cancel: again(),
      giveUp: this.d.clock.setTimer(64 * this.d.t1, () => {
        if (this.outstanding?.rseq !== rseq) return;
        this.stop();
        this.d.unacknowledged();
      }),
    };
    this.d.send(res);
  }

  /**
   * A PRACK's RAck (`<rseq> <cseq> <method>`, §7.2) against the INVITE's CSeq: true when it
   * acknowledges a response we sent reliably (answer 200), false otherwise (answer 481, §4).
   */
  prack(rack: string | undefined, inviteCseq: number): boolean {
    const m = /^\s*(\d+)\s+(\d+)\s+INVITE\s*$/i.exec(rack ?? '');
    if (!m || Number(m[2]) !== inviteCseq) return false;
    const rseq = Number(m[1]);
    if (!this.sent.has(rseq)) return false;
    if (this.outstanding?.rseq === rseq) {
      this.outstanding.cancel();
      this.outstanding.giveUp();
      this.outstanding = undefined;
      const nextRes = this.waiting.shift();
      if (nextRes) this.send(nextRes);
    }
    return true;
  }

  /** A final response went out (or the call ended): no more retransmissions. */
  stop(): void {
    this.stopped = true;
    this.outstanding?.cancel();
    this.outstanding?.giveUp();
    this.outstanding = undefined;
    this.waiting.length = 0;
  }

  /** True while a reliable provisional waits for its PRACK (tests, status). */
  get pending(): boolean {
    return this.outstanding !== undefined;
  }
}
