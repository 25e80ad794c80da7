/**
 * What a console session (Telnet or SSH) sees of its TCP connection and of its unit. Sessions get
 * these from the service and never touch node:net, so tests drive them with in-memory ones.
 */
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { Random } from '../shared/random';
import type { CliAction, CliPorts } from './cli/cli-ports';
import type { ConsoleLogin } from './console-login';

export type Protocol = 'ssh' | 'telnet';

/** One accepted connection. */
export interface Conn {
  /** The peer's address, plain (`10.0.0.1`, not `::ffff:10.0.0.1`). */
  readonly remote: string;
  write(bytes: Buffer): void;
  /** Flushes what was written, then closes. */
  end(): void;
  /** Closes now, dropping anything unsent. */
  destroy(): void;
}

/** A session as the listener drives it. */
export interface ConnSession {
  start(): void;
  receive(bytes: Buffer): void;
  /** The peer closed, or the socket failed: release everything (timers). */
  closed(): void;
  /** The service stops or the protocol was turned off: say why, then close. */
  shutdown(reason: string): void;
  /** Logged in (the listener counts sessions still in their login phase apart). */
  readonly authenticated: boolean;
}

export interface SessionDeps {
  readonly clock: Clock;
  readonly random: Random;
  /** Bound to the protocol and client. */
  readonly log: Logger;
  readonly login: ConsoleLogin;
  readonly ports: CliPorts;
  /** Shown before the login prompt and after login, e.g. "Grandstream HT813 (00:0B:82:...)". */
  readonly banner: string;
  /** Time allowed from connect to a completed login (ms). */
  readonly loginGraceMs: number;
  /** Idle time after which a logged-in session is closed (ms), read at each check (P28116). */
  idleMs(): number;
  /** Runs a reboot or reset once the session that asked for it has ended. */
  perform(action: CliAction): void;
}
