/**
 * Session timers (RFC 4028) of one call, from P2395 (enable), P260 (Session-Expires s), P261
 * (Min-SE s), P262 (caller requests the timer), P263 (callee requests it), P266/P267 (refresher
 * the UAC / UAS asks for: 0 omit, 1 uac, 2 uas). The refresher re-INVITEs at half the interval
 * (§7.4, §9); the other side ends the call when no refresh came (§10: interval − min(32, interval/3)).
 */
import type { Cancel } from '../../shared/clock';
import type { SipRequest, SipResponse } from '../sip/syntax/message';
import { decodeSessionExpires, encodeSessionExpires } from './call-headers';
import type { CallEnv } from './call-env';

export interface SessionTimerSettings {
  readonly enabled: boolean;
  readonly expiresS: number;
  readonly minSeS: number;
  readonly callerRequests: boolean;
  readonly calleeRequests: boolean;
  readonly uacRefresher: 0 | 1 | 2;
  readonly uasRefresher: 0 | 1 | 2;
}

export const DEFAULT_SESSION_TIMER: SessionTimerSettings = { enabled: true, expiresS: 180, minSeS: 90, callerRequests: false, calleeRequests: false, uacRefresher: 0, uasRefresher: 1 };

const who = (v: 0 | 1 | 2): 'uac' | 'uas' | undefined => (v === 1 ? 'uac' : v === 2 ? 'uas' : undefined);

function supportsTimer(m: SipRequest | SipResponse): boolean {
  return [...m.headers.getAll('Supported'), ...m.headers.getAll('Require')].some((v) => /\btimer\b/i.test(v));
}

export class SessionTimer {
  private cancel: Cancel | undefined;
  private interval = 0;
  private refresher: 'uac' | 'uas' | undefined;
  /** Which side of the dialog we are ('uac' placed the call). */
  private role: 'uac' | 'uas' = 'uac';

  constructor(
    private readonly env: Pick<CallEnv, 'clock' | 'sessionTimer' | 'guard'>,
    private readonly actions: { refresh(): void; expire(): void },
  ) {}

  get running(): boolean {
    return this.cancel !== undefined;
  }

  /** Our initial INVITE: Supported: timer, and Session-Expires / Min-SE when P262 asks for it. */
  decorateRequest(req: SipRequest): void {
    const s = this.env.sessionTimer;
    if (!s.enabled) return;
    req.headers.add('Supported', 'timer');
    if (s.callerRequests) {
      const r = who(s.uacRefresher);
      req.headers.set('Session-Expires', encodeSessionExpires({ seconds: s.expiresS, ...(r ? { refresher: r } : {}) }));
      req.headers.set('Min-SE', String(s.minSeS));
    }
  }

  /** A refresh we send carries the interval and refresher in force (§7.4). */
  decorateRefresh(req: SipRequest): void {
    if (!this.refresher || this.interval === 0) return;
    req.headers.set('Session-Expires', encodeSessionExpires({ seconds: this.interval, refresher: this.refresher }));
  }

  /** The 2xx of our (re-)INVITE: start the timer as it says (§7.2). */
  fromResponse(res: SipResponse, role: 'uac'): void {
    this.role = role;
    const v = res.headers.get('Session-Expires');
    if (!this.env.sessionTimer.enabled || !v) return this.stop();
    try {
      const se = decodeSessionExpires(v);
      this.arm(se.seconds, se.refresher ?? 'uac');
    } catch {
      this.stop();
    }
  }

  /** The Session-Expires header value for the 2xx to an incoming INVITE (§9), or undefined for none. */
  forIncoming(invite: SipRequest): string | undefined {
    const s = this.env.sessionTimer;
    if (!s.enabled) return undefined;
    const v = invite.headers.get('Session-Expires');
    let seconds: number | undefined;
    let refresher: 'uac' | 'uas' | undefined;
    if (v) {
      try {
        const se = decodeSessionExpires(v);
        seconds = Math.max(se.seconds, s.minSeS);
        refresher = se.refresher;
      } catch {
        seconds = undefined;
      }
    } else if (s.calleeRequests) seconds = s.expiresS;
    if (seconds === undefined) return undefined;
    // §9: with no timer support at the caller, we refresh; else the request's choice, else P267's
    refresher = !supportsTimer(invite) ? 'uas' : (refresher ?? who(s.uasRefresher) ?? 'uac');
    return encodeSessionExpires({ seconds, refresher });
  }

  /** An incoming INVITE/UPDATE (initial after ACK, or a refresh): restart the timer (§9–10). */
  fromRequest(req: SipRequest, role: 'uas'): void {
    this.role = role;
    const value = this.forIncoming(req);
    if (!value) return this.stop();
    const se = decodeSessionExpires(value);
    this.arm(se.seconds, se.refresher ?? 'uas');
  }

  /** Headers for our 2xx to a refresh. */
  responseHeaders(req: SipRequest): Array<[string, string]> {
    if (!this.refresher || this.interval === 0) return [];
    const h: Array<[string, string]> = [['Session-Expires', encodeSessionExpires({ seconds: this.interval, refresher: this.refresher })]];
    if (supportsTimer(req)) h.push(['Require', 'timer']);
    return h;
  }

  private arm(seconds: number, refresher: 'uac' | 'uas'): void {
    this.stop();
    if (!(seconds > 0)) return;
    this.interval = seconds;
    this.refresher = refresher;
    if (refresher === this.role) {
      this.cancel = this.env.clock.setTimer((seconds * 1000) / 2, () => {
        this.cancel = undefined;
        this.env.guard(() => this.actions.refresh());
      });
    } else {
      const ms = (seconds - Math.min(32, seconds / 3)) * 1000;
      this.cancel = this.env.clock.setTimer(ms, () => {
        this.cancel = undefined;
        this.env.guard(() => this.actions.expire());
      });
    }
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }
}
