/**
 * What every transaction shares: the state machine (`transition` checked against an ALLOWED
 * table, as SIP.js stateTransition made into data), named timers on the injected Clock, and
 * sending through the transport with transport errors reported up (§17.1.4).
 */
import type { Cancel, Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/logger';
import { HtError, type TransportError } from '../../../shared/errors';
import type { SipMessage, SipResponse } from '../syntax/message';
import type { Transport, TransportTarget } from '../transport/transport';
import type { SipTimers } from './timers';

export interface TransactionContext {
  transport: Transport;
  clock: Clock;
  timers: SipTimers;
  log: Logger;
  /** Debug records of state changes are kept: asked of the logger once per layer, not per transition. */
  logStates: boolean;
  /** The layer forgets the transaction. */
  terminated(tx: AnyTransaction): void;
}

export type TimerName = 'A' | 'B' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'Trying100';

/** A client transaction ended without a final response (Timer B or F, RFC 3261 §17.1.1.2 / §17.1.2.2). */
export class TransactionTimeoutError extends HtError {
  constructor(readonly timer: 'B' | 'F') {
    super('ERR_SIP_TIMEOUT', `transaction timed out (Timer ${timer})`);
  }
}

export abstract class Transaction<S extends string> {
  protected abstract readonly allowed: Readonly<Record<S, readonly S[]>>;
  private readonly running = new Map<TimerName, Cancel>();
  abstract readonly kind: 'ict' | 'nict' | 'ist' | 'nist';

  constructor(
    protected readonly ctx: TransactionContext,
    readonly id: string,
    public state: S,
    public target: TransportTarget,
  ) {}

  get reliable(): boolean {
    return this.ctx.transport.reliable(this.target.protocol);
  }

  protected transition(to: S): void {
    if (!this.allowed[this.state].includes(to)) {
      throw new HtError('ERR_SIP_STATE', `${this.kind} ${this.id}: transition ${this.state} → ${to} not allowed`);
    }
    if (this.ctx.logStates) this.ctx.log.debug({ tx: this.id, kind: this.kind, from: this.state, to }, 'transaction state');
    this.state = to;
    if (to === ('terminated' as S)) {
      this.stopAllTimers();
      this.ctx.terminated(this as unknown as AnyTransaction);
    }
  }

  protected startTimer(name: TimerName, ms: number, fn: () => void): void {
    this.stopTimer(name);
    this.running.set(
      name,
      this.ctx.clock.setTimer(ms, () => {
        this.running.delete(name);
        fn();
      }),
    );
  }

  protected stopTimer(name: TimerName): void {
    const c = this.running.get(name);
    if (c) {
      c();
      this.running.delete(name);
    }
  }

  protected stopAllTimers(): void {
    for (const c of this.running.values()) c();
    this.running.clear();
  }

  /** Names of the timers now running (tests). */
  activeTimers(): TimerName[] {
    return [...this.running.keys()];
  }

  protected send(msg: SipMessage): void {
    this.ctx.transport.send(msg, this.target).then(
      (used) => {
        this.target = used;
      },
      (err: TransportError) => this.onTransportError(err),
    );
  }

  protected abstract onTransportError(err: Error): void;

  /** Ends the transaction now (the layer is closing, or the TU gives up). */
  dispose(): void {
    if (this.state !== ('terminated' as S)) this.transition('terminated' as S);
  }
}

export interface ClientTransactionUser {
  onResponse(response: SipResponse): void;
  /** Timer B or F fired: no final response (the TU treats it as 408, §8.1.3.1). */
  onTimeout(err: TransactionTimeoutError): void;
  onTransportError(err: Error): void;
}

/** Re-exported here to keep the import graph one-way. */
export type AnyTransaction = Transaction<string>;
