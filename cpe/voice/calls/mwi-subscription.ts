/**
 * Message waiting (P99 "SUBSCRIBE for MWI"): a message-summary subscription (RFC 3842, RFC 6665)
 * to the account's own AOR, refreshed before it expires and retried after a failure; each
 * NOTIFY's body (RFC 3842 §5) switches the line's stutter tone, FXS LED slow blink and visual MWI.
 */
import type { Cancel, Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import { Dialog, dialogKey } from '../sip/dialog/dialog';
import type { SipRequest } from '../sip/syntax/message';
import type { ServerTransaction } from '../sip/transaction/server-transactions';
import { decodeMessageSummary } from './call-headers';
import type { AccountLink } from './sip-signalling';

const EXPIRES_S = 3600;
const RETRY_MS = 60_000;

export class MwiSubscription {
  private dialog: Dialog | undefined;
  private callId: string | undefined;
  private timer: Cancel | undefined;
  private stopped = false;

  constructor(
    private readonly link: AccountLink,
    private readonly deps: { readonly clock: Clock; readonly log: Logger; readonly retryMs?: number },
    private readonly onWaiting: (waiting: boolean, messageAccount?: string) => void,
  ) {}

  get dialogKey(): string | undefined {
    const d = this.dialog;
    return d ? dialogKey(d.id.callId, d.id.localTag, d.id.remoteTag) : undefined;
  }

  start(): void {
    this.stopped = false;
    this.subscribe(EXPIRES_S);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.();
    this.timer = undefined;
    if (this.dialog) this.send(this.dialog.createRequest('SUBSCRIBE', { contact: this.link.contact(), headers: this.headers(0) }), () => undefined);
    this.dialog = undefined;
  }

  private headers(expires: number): Array<[string, string]> {
    return [['Event', 'message-summary'], ['Accept', 'application/simple-message-summary'], ['Expires', String(expires)]];
  }

  private subscribe(expires: number): void {
    const core = this.link.core;
    const req = this.dialog
      ? this.dialog.createRequest('SUBSCRIBE', { contact: this.link.contact(), headers: this.headers(expires) })
      : (() => {
          const r = core.createRequest('SUBSCRIBE', this.link.aor(), { route: this.link.route?.() ?? [] });
          for (const [n, v] of this.headers(expires)) r.headers.add(n, v);
          return r;
        })();
    this.callId = req.callId;
    this.send(req, (status, res) => {
      if (this.stopped) return;
      if (status >= 200 && status < 300 && res) {
        if (!this.dialog) this.dialog = Dialog.fromUacResponse(req, res);
        const granted = Number(res.headers.get('Expires') ?? expires);
        const s = Number.isFinite(granted) && granted > 0 ? granted : expires;
        // refresh ahead of expiry (RFC 6665 §4.1.2.1)
        this.arm(Math.max(5, s - Math.min(60, s / 10)) * 1000);
      } else {
        this.deps.log.info({ status }, 'MWI subscription failed: retrying');
        this.dialog = undefined;
        this.arm(this.deps.retryMs ?? RETRY_MS);
      }
    });
  }

  private send(req: SipRequest, done: (status: number, res?: import('../sip/syntax/message').SipResponse) => void): void {
    const core = this.link.core;
    const target = this.link.serverTarget();
    if (!target) return done(503);
    const credentials = this.link.credentials();
    core.request(req, target, {
      onFinal: (res) => done(res.status, res),
      onTimeout: () => done(408),
      onTransportError: () => done(503),
    }, credentials ? { credentials } : {});
  }

  private arm(ms: number): void {
    this.timer?.();
    this.timer = this.deps.clock.setTimer(ms, () => {
      this.timer = undefined;
      if (!this.stopped) this.subscribe(EXPIRES_S);
    });
  }

  /** Whether an in-dialog request belongs to this subscription (a NOTIFY may beat the 2xx, RFC 6665 §4.1.2.4). */
  owns(req: SipRequest): boolean {
    return req.method === 'NOTIFY' && req.callId === this.callId;
  }

  inDialog(req: SipRequest, tx: ServerTransaction): void {
    const core = this.link.core;
    tx.respond(core.makeResponse(req, 200));
    if (/^terminated/i.test(req.headers.get('Subscription-State') ?? '')) {
      this.dialog = undefined;
      if (!this.stopped) this.arm(this.deps.retryMs ?? RETRY_MS);
    }
    this.apply(req);
  }

  private apply(req: SipRequest): void {
    applyMessageSummary(req, this.onWaiting, this.deps.log);
  }
}

/** Reads a message-summary NOTIFY body (RFC 3842 §5) into the line's MWI; a bad body is logged, never thrown. */
export function applyMessageSummary(req: SipRequest, onWaiting: (waiting: boolean, messageAccount?: string) => void, log: Logger): void {
  if (req.body.length === 0) return;
  try {
    const s = decodeMessageSummary(req.body.toString('utf8'));
    onWaiting(s.waiting, s.account);
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'bad message-summary body');
  }
}
