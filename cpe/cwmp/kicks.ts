/**
 * Kicked (TR-069 A.4.2.4, web identity management §3.6): a browser sent to the unit's KickURL by
 * the ACS's web pages waits while the unit opens a session with 5 KICKED and calls Kicked; the
 * ACS's NextURL is where the browser goes next. Kicks live in memory only: the browser that waits
 * for one does not survive a reboot either.
 */
import type { Cancel, Clock } from '../shared/clock';
import type { AcsRequest } from './soap/types';

export interface KickArgs {
  readonly command: string;
  readonly referer: string;
  readonly arg: string;
  readonly next: string;
}

/** A.4.2.4 argument sizes. */
export const KICK_LIMITS = { command: 32, referer: 64, arg: 256, next: 1024 } as const;
/** How long a browser waits for the session before it is sent to its Next URL. */
export const KICK_WAIT_MS = 30_000;
/** Kicks waiting at once; more are refused (a page reloaded in a loop must not queue forever). */
export const MAX_PENDING_KICKS = 8;

/** Where the browser goes: the ACS's NextURL, or undefined when the kick could not be delivered. */
export type KickOutcome = string | undefined;

export interface PendingKick {
  readonly message: Extract<AcsRequest, { method: 'Kicked' }>;
  settle(outcome: KickOutcome): void;
}

/** Checks the query of a kick; a message naming the bad argument, or undefined. */
export function kickArgsProblem(a: KickArgs): string | undefined {
  for (const k of Object.keys(KICK_LIMITS) as Array<keyof typeof KICK_LIMITS>) {
    if (a[k].length > KICK_LIMITS[k]) return `${k} is longer than ${KICK_LIMITS[k]} characters`;
  }
  if (a.command === '') return 'command is missing';
  if (a.next !== '' && !isWebUrl(a.next)) return 'next is not an http(s) URL';
  return undefined;
}

export function isWebUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

export class PendingKicks {
  private waiting: PendingKick[] = [];

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.waiting.length;
  }

  /** undefined when too many wait already. */
  add(a: KickArgs): Promise<KickOutcome> | undefined {
    if (this.waiting.length >= MAX_PENDING_KICKS) return undefined;
    return new Promise<KickOutcome>((resolve) => {
      let timer: Cancel | undefined;
      let done = false;
      const kick: PendingKick = {
        message: { method: 'Kicked', command: a.command, referer: a.referer, arg: a.arg, next: a.next },
        settle: (outcome) => {
          if (done) return;
          done = true;
          timer?.();
          this.waiting = this.waiting.filter((k) => k !== kick);
          resolve(outcome);
        },
      };
      timer = this.clock.setTimer(KICK_WAIT_MS, () => {
        timer = undefined;
        kick.settle(undefined);
      });
      this.waiting.push(kick);
    });
  }

  /** The kicks a session is about to deliver (they stay pending until settled). */
  snapshot(): readonly PendingKick[] {
    return [...this.waiting];
  }

  /** The unit stops: every browser is let go. */
  clear(): void {
    for (const k of [...this.waiting]) k.settle(undefined);
  }
}
