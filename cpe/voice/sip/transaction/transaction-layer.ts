/**
 * The transaction layer (RFC 3261 §17): creates client transactions, matches responses to them
 * (§17.1.3) and requests to server transactions (§17.2.3), and hands new requests up to the TU.
 * It is the TransportUser of its transport.
 */
import type { Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/logger';
import type { Random } from '../../../shared/random';
import type { SipRequest, SipResponse } from '../syntax/message';
import { BRANCH_COOKIE } from '../syntax/via';
import { Params } from '../syntax/params';
import { responseTarget, type IncomingMessage, type Transport, type TransportTarget, type TransportUser } from '../transport/transport';
import { InviteClientTransaction } from './invite-client-transaction';
import { makeResponse } from './make-response';
import { NonInviteClientTransaction } from './non-invite-client-transaction';
import { InviteServerTransaction, NonInviteServerTransaction, type ServerTransaction } from './server-transactions';
import type { SipTimers } from './timers';
import type { AnyTransaction, ClientTransactionUser, TransactionContext } from './transaction';

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;

/** The transaction user (the UA core) seen from below. */
export interface TransactionUser {
  /**
   * A request that starts a new server transaction, or an ACK for a 2xx (tx undefined, it has
   * none, §17.2.3 / RFC 6026), or a CANCEL (its own non-INVITE server transaction).
   */
  onRequest(request: SipRequest, tx: ServerTransaction | undefined, incoming: IncomingMessage): void;
  /** A response that matches no client transaction (2xx retransmissions after Timer M). */
  onStrayResponse?(response: SipResponse, incoming: IncomingMessage): void;
  /**
   * Looks at a request that matches no transaction before one is made for it. A response is
   * sent once, statelessly (§8.2.7: no retransmission, its ACK ignored, no state kept for a
   * flood); 'drop' discards the request; undefined lets it in. ACKs are never answered.
   */
  screen?(request: SipRequest, incoming: IncomingMessage): SipResponse | 'drop' | undefined;
}

export interface TransactionLayerOptions {
  clock: Clock;
  random: Random;
  log: Logger;
  timers: SipTimers;
}

export class TransactionLayer implements TransportUser {
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly servers = new Map<string, InviteServerTransaction | NonInviteServerTransaction>();
  private readonly ctx: TransactionContext;
  /** T1, T2, T4 of this account (P209/P250); a change of them builds a new layer. */
  readonly timers: SipTimers;

  constructor(
    readonly transport: Transport,
    private readonly opts: TransactionLayerOptions,
    private readonly user: TransactionUser,
  ) {
    this.timers = opts.timers;
    const logStates = opts.log.isLevelEnabled?.('debug') ?? true;
    this.ctx = { transport, clock: opts.clock, timers: opts.timers, log: opts.log, logStates, terminated: (tx) => this.forget(tx) };
    transport.setUser(this);
  }

  /** A new branch with the RFC 3261 magic cookie (§8.1.1.7). */
  newBranch(): string {
    return BRANCH_COOKIE + this.opts.random.bytes(8).toString('hex');
  }

  /**
   * Starts a client transaction for the request. The top Via is added (sent-by is filled in by the
   * transport) unless the caller already put one with a branch (CANCEL reuses the INVITE's).
   */
  sendRequest(request: SipRequest, target: TransportTarget, user: ClientTransactionUser): ClientTransaction {
    let top = request.via[0];
    if (!top || typeof top.params.get('branch') !== 'string') {
      const local = this.transport.localAddress(target.protocol);
      top = { protocol: 'SIP/2.0', transport: target.protocol.toUpperCase(), host: local.address, port: local.port, params: new Params() };
      top.params.set('branch', this.newBranch()).set('rport', null);
      request.via.unshift(top);
    }
    const key = clientKey(top.params.get('branch') as string, request.method);
    const tx =
      request.method === 'INVITE'
        ? new InviteClientTransaction(this.ctx, key, request, target, user)
        : new NonInviteClientTransaction(this.ctx, key, request, target, user);
    this.clients.set(key, tx);
    tx.start();
    return tx;
  }

  /** The INVITE server transaction a CANCEL refers to (§9.2). */
  findInviteServerTransaction(cancel: SipRequest): InviteServerTransaction | undefined {
    const tx = this.servers.get(serverKey(cancel, 'INVITE'));
    return tx instanceof InviteServerTransaction ? tx : undefined;
  }

  onMessage(incoming: IncomingMessage): void {
    const m = incoming.message;
    if (m.type === 'response') {
      const branch = m.via[0]?.params.get('branch');
      const tx = typeof branch === 'string' ? this.clients.get(clientKey(branch, m.cseq.method)) : undefined;
      if (tx) tx.receiveResponse(m);
      else this.user.onStrayResponse?.(m, incoming);
      return;
    }
    const method = m.method === 'ACK' ? 'INVITE' : m.method;
    const existing = this.servers.get(serverKey(m, method));
    if (existing) {
      const absorbed = existing.receiveRequest(m);
      if (!absorbed) this.user.onRequest(m, undefined, incoming);
      return;
    }
    if (this.user.screen && this.refused(m, incoming)) return;
    if (m.method === 'ACK') {
      this.user.onRequest(m, undefined, incoming);
      return;
    }
    const key = serverKey(m, method);
    const target = responseTarget(incoming);
    const tx =
      m.method === 'INVITE'
        ? new InviteServerTransaction(this.ctx, key, m, target, (r) => makeResponse(r, 100))
        : new NonInviteServerTransaction(this.ctx, key, m, target);
    this.servers.set(key, tx);
    this.user.onRequest(m, tx, incoming);
  }

  /** The TU's screen said no: answer statelessly (never an ACK) and report true. A failing screen refuses with 500. */
  private refused(m: SipRequest, incoming: IncomingMessage): boolean {
    let verdict: SipResponse | 'drop' | undefined;
    try {
      verdict = this.user.screen?.(m, incoming);
    } catch (e) {
      this.opts.log.error({ err: String(e), method: m.method }, 'sip: request screen failed');
      verdict = makeResponse(m, 500, { toTag: this.opts.random.bytes(6).toString('hex') });
    }
    if (verdict === undefined) return false;
    if (verdict !== 'drop' && m.method !== 'ACK') {
      this.transport.send(verdict, responseTarget(incoming)).catch((e: unknown) => this.opts.log.warn({ err: String(e) }, 'sip: stateless response not sent'));
    }
    return true;
  }

  private forget(tx: AnyTransaction): void {
    if (tx.kind === 'ict' || tx.kind === 'nict') this.clients.delete(tx.id);
    else this.servers.delete(tx.id);
  }

  /** Live transactions (tests; an idle unit has none). */
  get size(): number {
    return this.clients.size + this.servers.size;
  }

  close(): void {
    for (const tx of [...this.clients.values(), ...this.servers.values()]) tx.dispose();
  }
}

function clientKey(branch: string, method: string): string {
  return `${branch}|${method === 'ACK' ? 'INVITE' : method}`;
}

/** §17.2.3: branch + sent-by + method; RFC 2543 requests (no magic cookie) by dialog and CSeq. */
function serverKey(req: SipRequest, method: string): string {
  const top = req.via[0];
  const branch = top?.params.get('branch');
  const sentBy = `${top?.host ?? ''}:${top?.port ?? ''}`;
  if (typeof branch === 'string' && branch.startsWith(BRANCH_COOKIE)) return `${branch}|${sentBy}|${method}`;
  return `2543|${req.callId}|${req.from.params.get('tag') ?? ''}|${req.cseq.seq}|${sentBy}|${method}`;
}
