/**
 * Console logins (SSH and Telnet alike): a user name naming the level, `admin`, `user` or
 * `viewer`, and that level's password, P2 / P196 / P28113 (reference §1.2). P28158 / P28159
 * disable the user / viewer levels as on the web. Failures count per client address in one
 * LoginGuard shared by both protocols (P28117 attempts, then P1683 minutes of lockout), so a
 * guesser gains nothing by switching protocol. RADIUS (P28107) is for the web form only: the
 * console always checks the local passwords. Passwords are compared in constant time and never
 * logged; settings are read at each login.
 */
import type { ParamStore } from '../params/store';
import type { Clock } from '../shared/clock';
import { sameSecret } from '../web/http-util';
import { levelEnabled } from '../web/login-check';
import { LoginGuard } from '../web/sessions';
import type { ConsoleLevel } from './cli/cli-ports';

const PASSWORD_OF: Readonly<Record<ConsoleLevel, number>> = { admin: 2, user: 196, viewer: 28113 };

export type LoginOutcome =
  | { readonly ok: true; readonly level: ConsoleLevel }
  /** wrong: bad user name, password or a disabled level (counted); locked: the address is locked out (not checked). */
  | { readonly ok: false; readonly why: 'wrong'; readonly lockedForMs: number; readonly left: number }
  | { readonly ok: false; readonly why: 'locked'; readonly lockedForMs: number };

export class ConsoleLogin {
  private readonly guard: LoginGuard;

  constructor(
    private readonly store: () => ParamStore,
    clock: Clock,
  ) {
    this.guard = new LoginGuard(
      clock,
      () => this.store().getInt(28117),
      () => this.store().getInt(1683) * 60_000,
    );
  }

  /** ms left of this address's lockout, 0 when it may try. */
  lockedFor(client: string): number {
    return this.guard.lockedFor(client);
  }

  check(userName: string, password: string, client: string): LoginOutcome {
    const locked = this.guard.lockedFor(client);
    if (locked > 0) return { ok: false, why: 'locked', lockedForMs: locked };
    const store = this.store();
    const level = levelOf(userName);
    // compare even for an unknown name, so the time taken says nothing about which names exist
    const expected = level ? store.get(PASSWORD_OF[level]) : store.get(2);
    const match = sameSecret(password, expected) && password !== '';
    if (level && match && levelEnabled(store, level)) {
      this.guard.succeeded(client);
      return { ok: true, level };
    }
    const lockedForMs = this.guard.failed(client);
    return { ok: false, why: 'wrong', lockedForMs, left: lockedForMs > 0 ? 0 : this.guard.remaining(client) };
  }
}

function levelOf(userName: string): ConsoleLevel | undefined {
  const u = userName.trim().toLowerCase();
  return u === 'admin' || u === 'user' || u === 'viewer' ? u : undefined;
}
