/**
 * Web sessions and the login guard of one unit (user guide "Web UI Access Level Management";
 * reference §1.2: P28116 session timeout, P28117 attempt limit, P1683 lockout minutes).
 * Time comes from the injected clock and expiry is checked lazily on each request, so an idle unit
 * keeps no timer. Nothing here is module-level: each web service owns its own tables.
 */
import type { Clock } from '../shared/clock';
import type { Random } from '../shared/random';

export type WebLevel = 'admin' | 'user' | 'viewer';

export interface Session {
  readonly id: string;
  readonly level: WebLevel;
  /** Token every form of this session carries (OWASP synchroniser token pattern). */
  readonly csrf: string;
  readonly client: string;
  lastSeen: number;
  /** One-shot message for the next page (PRG after a POST). */
  flash?: Flash;
}

export interface Flash {
  readonly kind: 'ok' | 'error';
  readonly text: string;
}

/** Upper bound on live sessions per unit; the least recently used one is dropped beyond it. */
export const MAX_SESSIONS = 256;

export class SessionTable {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    /** Idle timeout in ms, read at each use (P28116 may change while the unit runs). */
    private readonly timeoutMs: () => number,
  ) {}

  create(level: WebLevel, client: string): Session {
    this.prune();
    while (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    const s: Session = {
      id: this.random.bytes(24).toString('base64url'),
      level,
      csrf: this.random.bytes(24).toString('base64url'),
      client,
      lastSeen: this.clock.now(),
    };
    this.sessions.set(s.id, s);
    return s;
  }

  /** The live session for this id, touched (sliding timeout); undefined when unknown or expired. */
  touch(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    const now = this.clock.now();
    if (now - s.lastSeen >= this.timeoutMs()) {
      this.sessions.delete(id);
      return undefined;
    }
    s.lastSeen = now;
    // Map order = recency, for the LRU bound above.
    this.sessions.delete(id);
    this.sessions.set(id, s);
    return s;
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  /** Drops every session (a password change or reset ends all logins). */
  clear(): void {
    this.sessions.clear();
  }

  get size(): number {
    return this.sessions.size;
  }

  private prune(): void {
    const now = this.clock.now();
    const limit = this.timeoutMs();
    for (const [id, s] of this.sessions) if (now - s.lastSeen >= limit) this.sessions.delete(id);
  }
}

interface Attempts {
  failures: number;
  lockedUntil: number;
}

/** Upper bound on tracked client addresses. */
const MAX_CLIENTS = 4096;

/**
 * Failed logins per client address: after `limit()` consecutive failures the address is locked
 * out for `lockoutMs()` (P28117, P1683); a lockout of 0 minutes only resets the count.
 */
export class LoginGuard {
  private readonly byClient = new Map<string, Attempts>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: () => number,
    private readonly lockoutMs: () => number,
  ) {}

  /** ms left of this client's lockout, 0 when it may try. */
  lockedFor(client: string): number {
    const a = this.byClient.get(client);
    if (!a) return 0;
    const left = a.lockedUntil - this.clock.now();
    if (left > 0) return left;
    if (a.lockedUntil > 0) this.byClient.delete(client); // lockout over: a fresh count
    return 0;
  }

  /** Records a failure; returns the lockout now in force (ms), 0 if none. */
  failed(client: string): number {
    if (!this.byClient.has(client) && this.byClient.size >= MAX_CLIENTS) {
      const oldest = this.byClient.keys().next().value;
      if (oldest !== undefined) this.byClient.delete(oldest);
    }
    const a = this.byClient.get(client) ?? { failures: 0, lockedUntil: 0 };
    a.failures += 1;
    this.byClient.set(client, a);
    if (a.failures >= this.limit()) {
      a.failures = 0;
      const ms = this.lockoutMs();
      a.lockedUntil = ms > 0 ? this.clock.now() + ms : 0;
      return ms;
    }
    return 0;
  }

  succeeded(client: string): void {
    this.byClient.delete(client);
  }

  /** Attempts left before a lockout. */
  remaining(client: string): number {
    return this.limit() - (this.byClient.get(client)?.failures ?? 0);
  }
}
