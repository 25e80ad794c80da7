/**
 * Which level a login form opens (user guide "Web UI Access Level Management"; reference §1.2, §8).
 *   P28107 = 0: the password alone, against P2 / P196 / P28113 (admin first).
 *   P28107 = 1: user name and password to the RADIUS server (radius/radius-login.ts). Accept: the
 *     level its vendor attribute names (P28111 / P28112), else viewer. Reject: refused. No answer,
 *     unreachable, or no server / secret configured: P28114 = 0 refuses, 1 checks the password
 *     locally as if RADIUS were off (the user name is then not used).
 * P28158 / P28159 disable the end-user / viewer levels whichever way the level was found.
 * Settings are read at each login, so a change applies to the next one without a restart.
 */
import type { ParamStore } from '../params/store';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { Random } from '../shared/random';
import { sameSecret } from './http-util';
import { RadiusLogin, type RadiusDeps } from './radius/radius-login';
import { radiusSettings } from './radius/radius-settings';
import type { WebLevel } from './sessions';

/** RADIUS logins waiting for the server at once, per unit; more get "busy". */
export const MAX_RADIUS_PENDING = 32;

export type LoginVia = 'local' | 'radius' | 'local-fallback';

export type LoginCheck =
  | { readonly ok: true; readonly level: WebLevel; readonly via: LoginVia }
  /**
   * wrong: bad credentials (the lockout counts it); disabled: right credentials for a disabled level
   * (counted too); unavailable: RADIUS failed and P28114 = 0 (not counted: nothing was checked);
   * busy: a login of this client is already waiting for the server (not counted).
   */
  | { readonly ok: false; readonly why: 'wrong' | 'disabled' | 'unavailable' | 'busy'; readonly via: LoginVia; readonly level?: WebLevel };

export interface LoginForm {
  readonly userName: string;
  readonly password: string;
  /** The browser's address. */
  readonly client: string;
}

export interface LoginCheckContext {
  readonly store: ParamStore;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  readonly mac: string;
  /** The unit's address (ctx.network.address). */
  readonly address: string;
}

export class LoginChecker {
  private readonly radius: RadiusLogin;
  /** Clients with a RADIUS login in flight: one each, so parallel guesses cannot outrun the lockout. */
  private readonly waiting = new Set<string>();

  constructor(
    private readonly ctx: LoginCheckContext,
    deps: RadiusDeps = {},
  ) {
    this.radius = new RadiusLogin({ ...deps, clock: ctx.clock, random: ctx.random });
  }

  /** P28107: the form asks for a user name too. */
  radiusEnabled(): boolean {
    return this.ctx.store.get(28107) === '1';
  }

  async check(form: LoginForm): Promise<LoginCheck> {
    if (!this.radiusEnabled()) return localCheck(this.ctx.store, form.password, 'local');
    if (this.waiting.has(form.client) || this.waiting.size >= MAX_RADIUS_PENDING) return { ok: false, why: 'busy', via: 'radius' };
    this.waiting.add(form.client);
    try {
      return await this.checkRadius(form);
    } finally {
      this.waiting.delete(form.client);
    }
  }

  close(): void {
    this.radius.close();
  }

  private async checkRadius(form: LoginForm): Promise<LoginCheck> {
    const settings = radiusSettings((id) => this.ctx.store.get(id));
    const log = this.ctx.log;
    for (const problem of settings.problems) log.warn({ problem }, 'web login: RADIUS setting not usable');
    const v = await this.radius.check({
      settings,
      userName: form.userName,
      password: form.password,
      client: form.client,
      nasIdentifier: this.ctx.store.get(146).trim() || this.ctx.mac,
      unitAddress: this.ctx.address,
    });
    const who = { client: form.client, user: form.userName.slice(0, 64) };
    switch (v.kind) {
      case 'accept':
        if (v.granted.source === 'unreadable') log.warn({ ...who }, 'web login: RADIUS level attribute unreadable, viewer level given');
        log.info({ ...who, result: 'Access-Accept', level: v.granted.level, levelFrom: v.granted.source, tries: v.transmissions }, 'web login: RADIUS accepted');
        return this.allowed(v.granted.level, 'radius');
      case 'reject':
        log.info({ ...who, result: v.code }, 'web login: RADIUS refused');
        return { ok: false, why: 'wrong', via: 'radius' };
      case 'unsendable':
        log.info({ ...who, result: 'not sent', reason: v.why }, 'web login: RADIUS refused');
        return { ok: false, why: 'wrong', via: 'radius' };
      case 'failed': {
        if (v.error.kind === 'closed') return { ok: false, why: 'unavailable', via: 'radius' }; // the unit is stopping
        const fallback = settings.onServerError === 'checkLocally';
        log.warn(
          { ...who, result: v.error.code, reason: v.error.message, then: fallback ? 'check locally' : 'reject' },
          `web login: RADIUS server failed, ${fallback ? 'checking the local passwords' : 'login refused'} (P28114)`,
        );
        if (!fallback) return { ok: false, why: 'unavailable', via: 'radius' };
        return localCheck(this.ctx.store, form.password, 'local-fallback');
      }
    }
  }

  /** P28158 / P28159 close the end-user / viewer levels to RADIUS users too. */
  private allowed(level: WebLevel | undefined, via: LoginVia): LoginCheck {
    if (level === undefined) return { ok: false, why: 'wrong', via };
    if (!levelEnabled(this.ctx.store, level)) return { ok: false, why: 'disabled', via, level };
    return { ok: true, level, via };
  }
}

function localCheck(s: ParamStore, password: string, via: LoginVia): LoginCheck {
  const level = localLevel(s, password);
  return level ? { ok: true, level, via } : { ok: false, why: 'wrong', via };
}

export function levelEnabled(s: ParamStore, level: WebLevel): boolean {
  return level === 'admin' || (level === 'user' ? s.get(28158) !== '1' : s.get(28159) !== '1');
}

/**
 * The level a password opens locally, among the enabled levels; admin first, so equal passwords
 * never lower the level.
 */
export function localLevel(s: ParamStore, password: string): WebLevel | undefined {
  if (password === '') return undefined;
  const candidates: Array<[WebLevel, number]> = [
    ['admin', 2],
    ['user', 196],
    ['viewer', 28113],
  ];
  let found: WebLevel | undefined;
  for (const [level, id] of candidates) {
    // compare all three every time: the timing says nothing about which one matched
    if (sameSecret(password, s.get(id)) && levelEnabled(s, level) && found === undefined) found = level;
  }
  return found;
}
