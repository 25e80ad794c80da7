/** INVITE client transaction (RFC 3261 §17.1.1, figure 5, with RFC 6026 §7.2 Accepted state). */
import { HeaderList } from '../syntax/headers';
import type { SipRequest, SipResponse } from '../syntax/message';
import { cloneNameAddr } from '../syntax/name-addr';
import type { TransportTarget } from '../transport/transport';
import { nextTimerA, txTimeout } from './timers';
import { Transaction, TransactionTimeoutError, type ClientTransactionUser, type TransactionContext } from './transaction';

export type IctState = 'calling' | 'proceeding' | 'completed' | 'accepted' | 'terminated';

/** Its state machine's transitions (one table for all instances). */
const ICT_ALLOWED = {
  calling: ['proceeding', 'completed', 'accepted', 'terminated'],
  proceeding: ['completed', 'accepted', 'terminated'],
  completed: ['terminated'],
  accepted: ['terminated'],
  terminated: [],
} as const satisfies Record<IctState, readonly IctState[]>;

export class InviteClientTransaction extends Transaction<IctState> {
  readonly kind = 'ict' as const;
  protected readonly allowed = ICT_ALLOWED;
  private timerA: number;
  private ack: SipRequest | undefined;

  constructor(ctx: TransactionContext, id: string, readonly request: SipRequest, target: TransportTarget, private readonly user: ClientTransactionUser) {
    super(ctx, id, 'calling', target);
    this.timerA = ctx.timers.T1;
  }

  start(): void {
    this.send(this.request);
    this.startTimer('B', txTimeout(this.ctx.timers), () => this.timerB());
    if (!this.reliable) this.startTimer('A', this.timerA, () => this.timerAFired());
  }

  private timerAFired(): void {
    if (this.state !== 'calling') return;
    this.send(this.request);
    this.timerA = nextTimerA(this.timerA);
    this.startTimer('A', this.timerA, () => this.timerAFired());
  }

  private timerB(): void {
    if (this.state !== 'calling') return;
    this.transition('terminated');
    this.user.onTimeout(new TransactionTimeoutError('B'));
  }

  receiveResponse(res: SipResponse): void {
    const s = res.status;
    switch (this.state) {
      case 'calling':
      case 'proceeding':
        if (s < 200) {
          this.stopTimer('A');
          this.stopTimer('B');
          if (this.state === 'calling') this.transition('proceeding');
          this.user.onResponse(res);
        } else if (s < 300) {
          // RFC 6026 §8.4: Accepted, Timer M; the TU sends the ACK for a 2xx
          this.stopAllTimers();
          this.transition('accepted');
          this.startTimer('M', txTimeout(this.ctx.timers), () => this.transition('terminated'));
          this.user.onResponse(res);
        } else {
          this.stopAllTimers();
          this.transition('completed');
          this.sendAck(res);
          if (this.reliable) this.transition('terminated');
          else this.startTimer('D', this.ctx.timers.timerD, () => this.transition('terminated'));
          this.user.onResponse(res);
        }
        return;
      case 'completed':
        if (s >= 300) this.sendAck(res);
        return;
      case 'accepted':
        if (s >= 200 && s < 300) this.user.onResponse(res);
        return;
      default:
    }
  }

  /** ACK for a non-2xx final response (§17.1.1.3). */
  private sendAck(res: SipResponse): void {
    if (!this.ack) {
      const r = this.request;
      this.ack = {
        type: 'request', method: 'ACK', uri: r.uri, via: r.via.slice(0, 1), from: r.from, to: cloneNameAddr(res.to),
        callId: r.callId, cseq: { seq: r.cseq.seq, method: 'ACK' }, maxForwards: 70, contact: [], route: r.route,
        recordRoute: [], headers: new HeaderList(), body: Buffer.alloc(0),
      };
    }
    this.send(this.ack);
  }

  protected onTransportError(err: Error): void {
    if (this.state === 'terminated' || this.state === 'completed' || this.state === 'accepted') return;
    this.transition('terminated');
    this.user.onTransportError(err);
  }
}
