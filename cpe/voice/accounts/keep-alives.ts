/**
 * Keep-alives of a registered account: SIP OPTIONS every P2398 s, P2399 lost in a row → the server
 * is down (fail over, user guide / reference §1.7); and NAT keep-alives every P84 s when P52 =
 * Keep-alive (a CRLFCRLF packet over UDP; the RFC 5626 §4.4.1 ping/pong over TCP and TLS, where a
 * missing pong means the flow is dead and the account re-registers).
 */
import type { Account, AccountDeps } from './account';
import { canKeepAlive } from '../sip/transport/transport';
import { Params } from '../sip/syntax/params';

export class KeepAlives {
  private lost = 0;

  constructor(
    private readonly account: Account,
    private readonly deps: AccountDeps,
  ) {}

  start(): void {
    const cfg = this.account.cfg;
    if (!cfg) return;
    if (cfg.optionsKeepAlive) this.scheduleOptions(cfg.optionsIntervalSeconds * 1000);
    if (cfg.nat === 'keep-alive') this.scheduleNat(cfg.keepAliveSeconds * 1000);
  }

  stop(): void {
    this.account.cancel('options');
    this.account.cancel('nat');
    this.lost = 0;
  }

  private scheduleOptions(ms: number): void {
    this.account.timer('options', ms, () => {
      this.scheduleOptions(ms);
      this.sendOptions();
    });
  }

  private sendOptions(): void {
    const a = this.account;
    const core = a.core;
    const target = a.target;
    const cfg = a.cfg;
    if (!core || !target || !cfg || a.state !== 'registered') return;
    const req = core.createRequest('OPTIONS', a.registrarUri(), { to: { uri: a.aor(), params: new Params() }, route: a.route() });
    const alive = (): void => {
      this.lost = 0;
    };
    const missed = (): void => {
      if (a.state !== 'registered') return;
      this.lost++;
      this.deps.log.warn({ lost: this.lost, max: cfg.optionsMaxLost }, 'sip: OPTIONS keep-alive lost');
      if (this.lost >= cfg.optionsMaxLost) {
        this.lost = 0;
        a.onServerDown('OPTIONS keep-alive lost');
      }
    };
    // any final response proves the server is alive (even 404/405)
    core.request(req, target, { onFinal: alive, onTimeout: missed, onTransportError: missed });
  }

  private scheduleNat(ms: number): void {
    this.account.timer('nat', ms, () => {
      this.scheduleNat(ms);
      const t = this.account.transport;
      const target = this.account.target;
      if (!t || !target || !canKeepAlive(t) || this.account.state !== 'registered') return;
      t.keepAlive(target).then(
        (ok) => {
          if (!ok && this.account.state === 'registered') this.account.onServerDown('keep-alive pong missing');
        },
        () => {
          if (this.account.state === 'registered') this.account.onServerDown('keep-alive failed');
        },
      );
    });
  }
}
