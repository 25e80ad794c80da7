/**
 * The 'mgmt' service: remote management consoles on the unit's address, SSH on P27006 while
 * P276 = 0 and Telnet on P28128 while P28120 = 0, each port plus the fleet offset (reference
 * §1.2). A change of these P-values starts, stops or rebinds a listener at once; turning one off
 * also ends its sessions. Both follow the web UI's WAN rules (P190, P20701/P20702,
 * cpe/web/access-policy.ts), checked at connect and again when they change, and share one login
 * lockout (console-login.ts). With both off the unit holds no socket and no timer; a listening
 * unit holds a timer only per open connection. Status `mgmt`.
 */
import path from 'node:path';
import type net from 'node:net';
import type { ChangeEvent } from '../params/types';
import type { Service, ServiceContext, StopReason } from '../service';
import { wanRefusal } from '../web/access-policy';
import type { CliAction } from './cli/cli-ports';
import { ConsoleLogin } from './console-login';
import type { Conn, ConnSession, Protocol, SessionDeps } from './conn';
import { MGMT_PVALUES, mgmtSettings, type ListenerSettings, type MgmtSettings } from './mgmt-settings';
import { loadOrCreateHostKey, type HostKey } from './ssh/host-key';
import { DISCONNECT } from './ssh/ssh-errors';
import { SshSession } from './ssh/ssh-session';
import { refusalBytes } from './ssh/transport';
import { storeCliPorts } from './store-cli-ports';
import { listenTcp, socketConn, type TcpListener } from './tcp-listener';
import { TelnetSession } from './telnet/telnet-session';

declare module '../status' {
  interface StatusMap {
    mgmt: MgmtStatus;
  }
}

export interface ListenerStatus {
  /** off: disabled by its P-value; error: the port could not be bound (see lastError). */
  readonly state: 'off' | 'listening' | 'error';
  readonly port?: number;
  readonly sessions: number;
  readonly lastError?: string;
}

export interface MgmtStatus {
  readonly ssh: ListenerStatus & { readonly hostKey?: string };
  readonly telnet: ListenerStatus;
  readonly problems: readonly string[];
}

/** From connect to a finished login. */
export const LOGIN_GRACE_MS = 60_000;
/** Connections per protocol, and per client address and protocol. */
export const MAX_CONNECTIONS = 8;
export const MAX_CONNECTIONS_PER_CLIENT = 4;
export const SSH_VERSION = 'SSH-2.0-GS_HT813';

const NAMES: Readonly<Record<Protocol, string>> = { ssh: 'SSH', telnet: 'Telnet' };

interface Bound {
  readonly key: string;
  readonly listener: TcpListener;
}

interface Tracked {
  readonly protocol: Protocol;
  readonly conn: Conn;
  readonly session: ConnSession;
}

export class MgmtService implements Service {
  readonly name = 'mgmt';
  private readonly login: ConsoleLogin;
  private readonly bound: Partial<Record<Protocol, Bound>> = {};
  private readonly lastError: Partial<Record<Protocol, string>> = {};
  private readonly tracked = new Set<Tracked>();
  private settings: MgmtSettings | undefined;
  private hostKey: HostKey | undefined;
  private unsubscribe: (() => void) | undefined;
  private applying: Promise<void> = Promise.resolve();
  private stopped = true;

  constructor(private readonly ctx: ServiceContext) {
    this.login = new ConsoleLogin(() => ctx.store, ctx.clock);
  }

  get status(): MgmtStatus {
    const one = (p: Protocol): ListenerStatus => {
      const want = this.settings?.[p];
      const b = this.bound[p];
      const err = this.lastError[p];
      const sessions = [...this.tracked].filter((t) => t.protocol === p).length;
      if (!want?.enabled) return { state: 'off', sessions };
      return b ? { state: 'listening', port: b.listener.port, sessions } : { state: 'error', port: want.port, sessions, ...(err ? { lastError: err } : {}) };
    };
    return { ssh: { ...one('ssh'), ...(this.hostKey ? { hostKey: this.hostKey.fingerprint } : {}) }, telnet: one('telnet'), problems: this.settings?.problems ?? [] };
  }

  /** The bound port, or undefined when not listening. */
  port(p: Protocol): number | undefined {
    return this.bound[p]?.listener.port;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.ctx.status.provide('mgmt', () => this.status);
    this.unsubscribe = this.ctx.store.subscribe((e) => this.onChange(e));
    await this.reconfigure('start');
  }

  async stop(reason: StopReason): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.applying;
    for (const p of ['ssh', 'telnet'] as const) this.unbind(p);
    this.endSessions(() => true, reason === 'shutdown' ? 'The unit is shutting down.' : 'The unit is rebooting.');
    this.ctx.status.withdraw('mgmt');
  }

  /**
   * A new connection (from a listener, or a test's in-memory one): the WAN rules and connection
   * limits first, then a session. Undefined when it was refused and closed.
   */
  accept(protocol: Protocol, conn: Conn): ConnSession | undefined {
    const s = this.settings;
    if (this.stopped || !s || !this.bound[protocol]) {
      conn.destroy();
      return undefined;
    }
    const log = this.ctx.log.child({ protocol, client: conn.remote });
    const wan = wanRefusal(conn.remote, s.policy, NAMES[protocol]);
    const refusal = wan ?? this.overLimit(protocol, conn.remote);
    if (refusal) {
      log.warn({ reason: refusal }, `${protocol}: connection refused`);
      const text = `Access refused: ${refusal}.`;
      const reason = wan ? DISCONNECT.HOST_NOT_ALLOWED_TO_CONNECT : DISCONNECT.TOO_MANY_CONNECTIONS;
      conn.write(protocol === 'ssh' ? refusalBytes(SSH_VERSION, reason, text, this.ctx.random) : Buffer.from(`${text}\r\n`));
      conn.end();
      return undefined;
    }
    const deps: SessionDeps = {
      clock: this.ctx.clock,
      random: this.ctx.random,
      log,
      login: this.login,
      ports: storeCliPorts(this.ctx),
      banner: `Grandstream ${this.ctx.identity.model}`,
      loginGraceMs: LOGIN_GRACE_MS,
      idleMs: () => this.ctx.store.getInt(28116) * 60_000,
      perform: (action) => this.perform(protocol, action),
    };
    let session: ConnSession;
    if (protocol === 'ssh') {
      const hostKey = this.hostKey;
      if (!hostKey) {
        conn.destroy();
        return undefined;
      }
      session = new SshSession(conn, { ...deps, hostKey, serverVersion: SSH_VERSION });
    } else {
      session = new TelnetSession(conn, deps);
    }
    const t: Tracked = { protocol, conn, session };
    this.tracked.add(t);
    log.debug({}, `${protocol}: connected`);
    session.start();
    return session;
  }

  /** The session's connection is gone (the listener calls it on 'close'). */
  forget(session: ConnSession): void {
    for (const t of this.tracked) if (t.session === session) this.tracked.delete(t);
  }

  private overLimit(p: Protocol, client: string): string | undefined {
    const mine = [...this.tracked].filter((t) => t.protocol === p);
    if (mine.length >= MAX_CONNECTIONS) return `too many ${NAMES[p]} connections (${MAX_CONNECTIONS})`;
    if (mine.filter((t) => t.conn.remote === client).length >= MAX_CONNECTIONS_PER_CLIENT) {
      return `too many ${NAMES[p]} connections from this address (${MAX_CONNECTIONS_PER_CLIENT})`;
    }
    return undefined;
  }

  private onChange(e: ChangeEvent): void {
    if (!e.changes.some((c) => MGMT_PVALUES.has(c.id))) return;
    void this.reconfigure(e.source);
  }

  /** Applies the settings after any apply in flight (binds are asynchronous). */
  private reconfigure(source: string): Promise<void> {
    const next = this.applying.then(() => this.apply(source)).catch((e: unknown) => this.ctx.log.error({ err: errText(e) }, 'mgmt: reconfiguration failed'));
    this.applying = next;
    return next;
  }

  private async apply(source: string): Promise<void> {
    if (this.stopped) return;
    const s = mgmtSettings((id) => this.ctx.store.get(id), this.ctx.ports.offset ?? 0);
    this.settings = s;
    for (const problem of s.problems) this.ctx.log.warn({ problem }, 'mgmt: setting not usable');
    // sessions from addresses the new WAN rules refuse end now
    this.endSessions((t) => wanRefusal(t.conn.remote, s.policy, NAMES[t.protocol]) !== undefined, 'Access refused by the WAN access rules (P190).');
    await this.bind('ssh', s.ssh);
    await this.bind('telnet', s.telnet);
    const on = s.ssh.enabled || s.telnet.enabled;
    // a fleet boots thousands of units: an unchanged start is not news
    this.ctx.log[on || source !== 'start' ? 'info' : 'debug'](
      { source, ssh: this.port('ssh') ?? null, telnet: this.port('telnet') ?? null },
      'mgmt settings applied',
    );
  }

  /** Opens, moves or closes one listener to match its settings. */
  private async bind(p: Protocol, want: ListenerSettings): Promise<void> {
    const address = this.ctx.network.address;
    const key = `${address}|${want.port}`;
    if (want.enabled && this.bound[p]?.key === key) return;
    this.unbind(p);
    if (!want.enabled) {
      this.lastError[p] = undefined;
      this.endSessions((t) => t.protocol === p, `${NAMES[p]} has been turned off.`);
      return;
    }
    try {
      if (p === 'ssh') this.ensureHostKey();
      const listener = await listenTcp(address, want.port, (sock) => this.onSocket(p, sock));
      if (this.stopped) return listener.close();
      this.bound[p] = { key, listener };
      this.lastError[p] = undefined;
      this.ctx.log.info({ port: listener.port }, `${p}: listening`);
    } catch (e) {
      this.lastError[p] = errText(e);
      // the unit runs on without it (port 22/23 need root, or the port is taken)
      this.ctx.log.warn({ port: want.port, err: this.lastError[p] }, `${p}: port could not be bound; ${NAMES[p]} is off until its settings change`);
    }
  }

  private unbind(p: Protocol): void {
    this.bound[p]?.listener.close();
    this.bound[p] = undefined;
  }

  private ensureHostKey(): void {
    if (this.hostKey) return;
    const dir = path.join(this.ctx.dataDir, this.name);
    const { key, created } = loadOrCreateHostKey(dir, this.ctx.random);
    if (created) this.ctx.log.info({ dir, fingerprint: key.fingerprint }, 'ssh: made the unit host key (ssh-ed25519)');
    this.hostKey = key;
  }

  private onSocket(p: Protocol, sock: net.Socket): void {
    sock.on('error', () => sock.destroy());
    const conn = socketConn(sock, this.ctx.clock);
    const session = this.accept(p, conn);
    if (!session) return;
    sock.on('data', (b: Buffer) => {
      try {
        session.receive(b);
      } catch (e) {
        // sessions handle bad input themselves: this is a bug, and it must not take the unit down
        this.ctx.log.error({ protocol: p, err: errText(e) }, `${p}: session failed, connection closed`);
        conn.destroy();
      }
    });
    sock.once('close', () => {
      session.closed();
      this.forget(session);
    });
  }

  private endSessions(which: (t: Tracked) => boolean, why: string): void {
    for (const t of [...this.tracked]) {
      if (!which(t)) continue;
      t.session.shutdown(why);
      if (this.stopped) t.conn.destroy();
      this.tracked.delete(t);
    }
  }

  /** A reboot or reset asked for on the console, once its session has ended. */
  private perform(p: Protocol, action: CliAction): void {
    const reason = `${NAMES[p]} console`;
    setImmediate(() => {
      const run = action.kind === 'reboot' ? this.ctx.device.reboot(reason) : action.kind === 'reset' ? this.ctx.device.factoryReset(action.type, reason) : undefined;
      run?.catch((e: unknown) => this.ctx.log.error({ err: errText(e), action: action.kind }, `${p}: ${action.kind} failed`));
    });
  }
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const createMgmtService = (ctx: ServiceContext): MgmtService => new MgmtService(ctx);
