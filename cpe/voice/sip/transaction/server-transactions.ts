/**
 * Server transactions: INVITE (RFC 3261 §17.2.1, figure 7, with RFC 6026 §7.1 Accepted state)
 * and non-INVITE (§17.2.2, figure 8). The TU answers through `respond`.
 */
import type { SipRequest, SipResponse } from '../syntax/message';
import type { TransportTarget } from '../transport/transport';
import { nextTimerEG, txTimeout } from './timers';
import { Transaction, type TransactionContext } from './transaction';

export interface ServerTransaction {
  readonly kind: 'ist' | 'nist';
  readonly id: string;
  readonly request: SipRequest;
  readonly state: string;
  respond(response: SipResponse): void;
}

export interface ServerTransactionUser {
  /** Timer H fired: the ACK for our final non-2xx response never came (§17.2.1). */
  onAckTimeout?(): void;
  onTransportError?(err: Error): void;
}

export type IstState = 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';

/** Its state machine's transitions (one table for all instances). */
const IST_ALLOWED = {
  proceeding: ['completed', 'accepted', 'terminated'],
  completed: ['confirmed', 'terminated'],
  confirmed: ['terminated'],
  accepted: ['terminated'],
  terminated: [],
} as const satisfies Record<IstState, readonly IstState[]>;

export class InviteServerTransaction extends Transaction<IstState> implements ServerTransaction {
  readonly kind = 'ist' as const;
  protected readonly allowed = IST_ALLOWED;
  private last: SipResponse | undefined;
  private timerG: number;
  user: ServerTransactionUser = {};

  constructor(ctx: TransactionContext, id: string, readonly request: SipRequest, target: TransportTarget, private readonly trying: (req: SipRequest) => SipResponse) {
    super(ctx, id, 'proceeding', target);
    this.timerG = ctx.timers.T1;
    // §17.2.1: send 100 Trying if the TU does not answer within 200 ms
    this.startTimer('Trying100', 200, () => {
      if (this.state === 'proceeding' && !this.last) this.respond(this.trying(this.request));
    });
  }

  respond(res: SipResponse): void {
    const s = res.status;
    if (this.state === 'proceeding') {
      this.stopTimer('Trying100');
      this.last = res;
      this.send(res);
      if (s < 200) return;
      if (s < 300) {
        this.transition('accepted');
        this.startTimer('L', txTimeout(this.ctx.timers), () => this.transition('terminated'));
      } else {
        this.transition('completed');
        if (!this.reliable) this.startTimer('G', this.timerG, () => this.timerGFired());
        this.startTimer('H', txTimeout(this.ctx.timers), () => this.timerH());
      }
    } else if (this.state === 'accepted' && s >= 200 && s < 300) {
      // RFC 6026 §7.1: 2xx retransmissions from the TU pass through
      this.send(res);
    }
  }

  private timerGFired(): void {
    if (this.state !== 'completed' || !this.last) return;
    this.send(this.last);
    this.timerG = nextTimerEG(this.timerG, this.ctx.timers);
    this.startTimer('G', this.timerG, () => this.timerGFired());
  }

  private timerH(): void {
    if (this.state !== 'completed') return;
    this.transition('terminated');
    this.user.onAckTimeout?.();
  }

  /** A retransmitted INVITE or the ACK of a non-2xx final response. Returns true when absorbed. */
  receiveRequest(req: SipRequest): boolean {
    if (req.method === 'ACK') {
      if (this.state === 'completed') {
        this.stopTimer('G');
        this.stopTimer('H');
        this.transition('confirmed');
        if (this.reliable) this.transition('terminated');
        else this.startTimer('I', this.ctx.timers.T4, () => this.transition('terminated'));
        return true;
      }
      // an ACK in Accepted is for the 2xx: the TU gets it
      return this.state !== 'accepted';
    }
    if ((this.state === 'proceeding' || this.state === 'completed') && this.last) this.send(this.last);
    return true;
  }

  protected onTransportError(err: Error): void {
    if (this.state === 'terminated') return;
    this.transition('terminated');
    this.user.onTransportError?.(err);
  }
}

export type NistState = 'trying' | 'proceeding' | 'completed' | 'terminated';

/** Its state machine's transitions (one table for all instances). */
const NIST_ALLOWED = {
  trying: ['proceeding', 'completed', 'terminated'],
  proceeding: ['completed', 'terminated'],
  completed: ['terminated'],
  terminated: [],
} as const satisfies Record<NistState, readonly NistState[]>;

export class NonInviteServerTransaction extends Transaction<NistState> implements ServerTransaction {
  readonly kind = 'nist' as const;
  protected readonly allowed = NIST_ALLOWED;
  private last: SipResponse | undefined;
  user: ServerTransactionUser = {};

  constructor(ctx: TransactionContext, id: string, readonly request: SipRequest, target: TransportTarget) {
    super(ctx, id, 'trying', target);
  }

  respond(res: SipResponse): void {
    if (this.state === 'completed' || this.state === 'terminated') return;
    this.last = res;
    this.send(res);
    if (res.status < 200) {
      if (this.state === 'trying') this.transition('proceeding');
      return;
    }
    this.transition('completed');
    // Timer J: 64*T1 for unreliable transports, 0 for reliable
    if (this.reliable) this.transition('terminated');
    else this.startTimer('J', txTimeout(this.ctx.timers), () => this.transition('terminated'));
  }

  receiveRequest(_req: SipRequest): boolean {
    if ((this.state === 'proceeding' || this.state === 'completed') && this.last) this.send(this.last);
    return true;
  }

  protected onTransportError(err: Error): void {
    if (this.state === 'terminated') return;
    this.transition('terminated');
    this.user.onTransportError?.(err);
  }
}
