/** Non-INVITE client transaction (RFC 3261 §17.1.2, figure 6). */
import type { SipRequest, SipResponse } from '../syntax/message';
import type { TransportTarget } from '../transport/transport';
import { nextTimerEG, txTimeout } from './timers';
import { Transaction, TransactionTimeoutError, type ClientTransactionUser, type TransactionContext } from './transaction';

export type NictState = 'trying' | 'proceeding' | 'completed' | 'terminated';

/** Its state machine's transitions (one table for all instances). */
const NICT_ALLOWED = {
  trying: ['proceeding', 'completed', 'terminated'],
  proceeding: ['completed', 'terminated'],
  completed: ['terminated'],
  terminated: [],
} as const satisfies Record<NictState, readonly NictState[]>;

export class NonInviteClientTransaction extends Transaction<NictState> {
  readonly kind = 'nict' as const;
  protected readonly allowed = NICT_ALLOWED;
  private timerE: number;
  /**
   * The request and its user, until the final response. Completed (Timer K) only absorbs
   * retransmitted finals (§17.1.2.2) and needs neither: a fleet's thousands of completed REGISTER
   * transactions then hold no messages, which the garbage collector would otherwise copy around.
   */
  private live: { request: SipRequest; user: ClientTransactionUser } | undefined;

  constructor(ctx: TransactionContext, id: string, request: SipRequest, target: TransportTarget, user: ClientTransactionUser) {
    super(ctx, id, 'trying', target);
    this.live = { request, user };
    this.timerE = ctx.timers.T1;
  }

  start(): void {
    if (this.live) this.send(this.live.request);
    this.startTimer('F', txTimeout(this.ctx.timers), () => this.timerF());
    if (!this.reliable) this.startTimer('E', this.timerE, () => this.timerEFired());
  }

  /** §17.1.2.2: retransmit; in Trying the interval doubles up to T2, in Proceeding it is T2. */
  private timerEFired(): void {
    if ((this.state !== 'trying' && this.state !== 'proceeding') || !this.live) return;
    this.send(this.live.request);
    this.timerE = this.state === 'trying' ? nextTimerEG(this.timerE, this.ctx.timers) : this.ctx.timers.T2;
    this.startTimer('E', this.timerE, () => this.timerEFired());
  }

  private timerF(): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    const live = this.release();
    this.transition('terminated');
    live?.user.onTimeout(new TransactionTimeoutError('F'));
  }

  receiveResponse(res: SipResponse): void {
    if (res.status < 200) {
      if (this.state === 'trying' || this.state === 'proceeding') {
        if (this.state === 'trying') this.transition('proceeding');
        this.live?.user.onResponse(res);
      }
      return;
    }
    if (this.state === 'trying' || this.state === 'proceeding') {
      const live = this.release();
      this.stopTimer('E');
      this.stopTimer('F');
      this.transition('completed');
      // Timer K: T4 for unreliable transports, 0 for reliable ones
      if (this.reliable) this.transition('terminated');
      else this.startTimer('K', this.ctx.timers.T4, () => this.transition('terminated'));
      live?.user.onResponse(res);
    }
    // completed: retransmitted finals are absorbed
  }

  protected onTransportError(err: Error): void {
    if (this.state === 'terminated') return;
    const live = this.release();
    this.transition('terminated');
    // after the final response the TU has its answer: a late send error is nobody's business
    live?.user.onTransportError(err);
  }

  private release(): { request: SipRequest; user: ClientTransactionUser } | undefined {
    const live = this.live;
    this.live = undefined;
    return live;
  }
}
