/** Non-INVITE client transaction (RFC 3261 §17.1.2, figure 6). */
import type { SipRequest, SipResponse } from '../syntax/message';
import type { TransportTarget } from '../transport/transport';
import { nextTimerEG, txTimeout } from './timers';
import { Transaction, TransactionTimeoutError, type ClientTransactionUser, type TransactionContext } from './transaction';

export type NictState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export class NonInviteClientTransaction extends Transaction<NictState> {
  readonly kind = 'nict' as const;
  protected readonly allowed = {
    trying: ['proceeding', 'completed', 'terminated'],
    proceeding: ['completed', 'terminated'],
    completed: ['terminated'],
    terminated: [],
  } as const satisfies Record<NictState, readonly NictState[]>;
  private timerE: number;

  constructor(ctx: TransactionContext, id: string, request: SipRequest, target: TransportTarget, private readonly user: ClientTransactionUser) {
    super(ctx, id, 'trying', request, target);
    this.timerE = ctx.timers.T1;
  }

  start(): void {
    this.send(this.request);
    this.startTimer('F', txTimeout(this.ctx.timers), () => this.timerF());
    if (!this.reliable) this.startTimer('E', this.timerE, () => this.timerEFired());
  }

  /** §17.1.2.2: retransmit; in Trying the interval doubles up to T2, in Proceeding it is T2. */
  private timerEFired(): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    this.send(this.request);
    this.timerE = this.state === 'trying' ? nextTimerEG(this.timerE, this.ctx.timers) : this.ctx.timers.T2;
    this.startTimer('E', this.timerE, () => this.timerEFired());
  }

  private timerF(): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    this.transition('terminated');
    this.user.onTimeout(new TransactionTimeoutError('F'));
  }

  receiveResponse(res: SipResponse): void {
    if (res.status < 200) {
      if (this.state === 'trying' || this.state === 'proceeding') {
        if (this.state === 'trying') this.transition('proceeding');
        this.user.onResponse(res);
      }
      return;
    }
    if (this.state === 'trying' || this.state === 'proceeding') {
      this.stopTimer('E');
      this.stopTimer('F');
      this.transition('completed');
      // Timer K: T4 for unreliable transports, 0 for reliable ones
      if (this.reliable) this.transition('terminated');
      else this.startTimer('K', this.ctx.timers.T4, () => this.transition('terminated'));
      this.user.onResponse(res);
    }
    // completed: retransmitted finals are absorbed
  }

  protected onTransportError(err: Error): void {
    if (this.state === 'terminated') return;
    this.transition('terminated');
    this.user.onTransportError(err);
  }
}
