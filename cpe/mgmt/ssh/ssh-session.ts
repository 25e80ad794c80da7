/**
 * One SSH connection, server side: the transport (transport.ts) up to the first NEWKEYS, the
 * "ssh-userauth" service with password authentication (RFC 4252; user name `admin`, `user` or
 * `viewer` and that level's password), then the connection protocol (RFC 4254) with session
 * channels running the console: "shell" (prompt and echo with a pty, plain lines without) or
 * "exec" (one command, its exit code as exit-status).
 * Bounds: MAX_AUTH_TRIES wrong passwords and MAX_AUTH_REQUESTS requests of any method per
 * connection, the address lockout, the login grace time, the idle timeout, MAX_CHANNELS open
 * channels. Anything malformed ends the connection with SSH_MSG_DISCONNECT and one log line.
 */
import { DecodeError } from '../../shared/errors';
import { ConsoleShell, runLine, shellSink, wire } from '../cli/console-shell';
import type { CliAction } from '../cli/cli-ports';
import { LineEditor } from '../cli/line-editor';
import type { Conn, ConnSession, SessionDeps } from '../conn';
import { Deadline } from '../deadline';
import { SessionChannel, type ChannelApp, type ChannelHost } from './channel';
import type { HostKey } from './host-key';
import { MSG } from './messages';
import { DISCONNECT, SshError } from './ssh-errors';
import { SshTransport } from './transport';
import { decodeAuthRequest, decodeServiceRequest, encodeAuthFailure, encodeAuthSuccess, encodeServiceAccept } from './userauth';
import { SshReader, SshWriter } from './wire';

export type SshState = 'kex' | 'service' | 'userauth' | 'connection' | 'closed';

const ALLOWED: Readonly<Record<SshState, readonly SshState[]>> = {
  kex: ['service', 'closed'],
  service: ['userauth', 'closed'],
  userauth: ['connection', 'closed'],
  connection: ['closed'],
  closed: [],
};

/** Wrong passwords one connection may try (OpenSSH's MaxAuthTries is 6; the unit allows fewer). */
export const MAX_AUTH_TRIES = 3;
/** USERAUTH_REQUESTs of any method one connection may send. */
export const MAX_AUTH_REQUESTS = 20;
/** Session channels open at once on one connection. */
export const MAX_CHANNELS = 2;
/** RFC 4252 §5.1: the methods that can continue. */
const METHODS = ['password'];
const KNOWN_USERS: ReadonlySet<string> = new Set(['admin', 'user', 'viewer']);

export interface SshSessionDeps extends SessionDeps {
  readonly hostKey: HostKey;
  /** e.g. `SSH-2.0-GS_HT813`. */
  readonly serverVersion: string;
}

export class SshSession implements ConnSession, ChannelHost {
  private st: SshState = 'kex';
  private readonly transport: SshTransport;
  private readonly deadline: Deadline;
  private readonly channels = new Map<number, SessionChannel>();
  private nextChannel = 0;
  private authRequests = 0;
  private wrongPasswords = 0;
  private level: 'admin' | 'user' | 'viewer' = 'viewer';

  constructor(
    private readonly conn: Conn,
    private readonly deps: SshSessionDeps,
  ) {
    this.transport = new SshTransport({
      random: deps.random,
      serverVersion: deps.serverVersion,
      hostKey: deps.hostKey,
      write: (b) => this.conn.write(b),
      onPayload: (p) => this.onPayload(p),
      onEncrypted: () => this.transition('service'),
      onPeerDisconnect: (reason, description) => {
        this.deps.log.info({ reason, description }, 'ssh: client disconnected');
        this.close();
      },
    });
    this.deadline = new Deadline(deps.clock, () => this.expire());
  }

  get state(): SshState {
    return this.st;
  }

  get authenticated(): boolean {
    return this.st === 'connection';
  }

  start(): void {
    this.deadline.arm(() => this.deps.loginGraceMs);
    this.guard(() => this.transport.start());
  }

  receive(bytes: Buffer): void {
    if (this.st === 'closed') return;
    if (this.st === 'connection') this.deadline.touch();
    this.guard(() => this.transport.receive(bytes));
  }

  closed(): void {
    if (this.st === 'closed') return;
    this.deps.log.info({ state: this.st }, 'ssh: connection closed by the client');
    this.finish();
  }

  shutdown(reason: string): void {
    if (this.st === 'closed') return;
    this.guard(() => this.transport.disconnect(DISCONNECT.BY_APPLICATION, reason));
    this.close();
  }

  // ---- ChannelHost ----

  send(payload: Buffer): void {
    this.transport.send(payload);
  }

  shell(ch: SessionChannel): ChannelApp {
    const shell = new ConsoleShell(
      { level: this.level, ports: this.deps.ports, crlf: ch.pty, prompt: ch.pty, onCommand: (c) => this.deps.log.info({ ...c, channel: ch.id }, 'console command') },
      { write: (b) => this.guard(() => ch.write(b)), close: (code, action) => this.endChannel(ch, code, action) },
    );
    const editor = new LineEditor(shellSink(shell, (b) => this.guard(() => ch.write(b))), ch.pty ? 'on' : 'off');
    if (ch.pty) shell.start(`${this.deps.banner}\nLogged in at the ${this.level} level. Type help for the commands.\n`);
    return {
      input: (d) => editor.push(d),
      eof: () => editor.finish(),
      gone: () => editor.stop(),
    };
  }

  exec(ch: SessionChannel, command: string): ChannelApp {
    const { result, summary } = runLine(command, this.level, this.deps.ports);
    if (summary) this.deps.log.info({ ...summary, channel: ch.id, exec: true }, 'console command');
    ch.write(wire(result.output, ch.pty));
    this.endChannel(ch, result.exitCode, result.action);
    return { input: () => undefined, eof: () => undefined, gone: () => undefined };
  }

  released(ch: SessionChannel): void {
    this.channels.delete(ch.id);
  }

  // ---- dispatch ----

  private onPayload(p: Buffer): void {
    const msg = p[0]!;
    switch (this.st) {
      case 'service': {
        if (msg !== MSG.SERVICE_REQUEST) throw new SshError('protocol', `message ${msg} before the service request`);
        const name = decodeServiceRequest(p);
        if (name !== 'ssh-userauth') throw new SshError('protocol', `service ${JSON.stringify(name.slice(0, 32))} not available`);
        this.transport.send(encodeServiceAccept(name));
        return this.transition('userauth');
      }
      case 'userauth':
        if (msg !== MSG.USERAUTH_REQUEST) throw new SshError('protocol', `message ${msg} before authentication`);
        return this.authenticate(p);
      case 'connection':
        return this.connection(msg, p);
      default:
        throw new SshError('protocol', `message ${msg} in state ${this.st}`);
    }
  }

  private authenticate(p: Buffer): void {
    if (++this.authRequests > MAX_AUTH_REQUESTS) throw new SshError('auth', 'too many authentication requests');
    const req = decodeAuthRequest(p);
    if (req.method !== 'password' || req.service !== 'ssh-connection' || req.change) {
      return this.transport.send(encodeAuthFailure(METHODS));
    }
    const user = KNOWN_USERS.has(req.user.toLowerCase()) ? req.user.toLowerCase() : '(other)'; // never log what may be a password
    const r = this.deps.login.check(req.user, req.password, this.conn.remote);
    if (r.ok) {
      this.level = r.level;
      this.transport.send(encodeAuthSuccess());
      this.transition('connection');
      this.deps.log.info({ user, level: r.level }, 'ssh login');
      return;
    }
    this.deps.log.warn({ user, result: r.why, locked: r.lockedForMs > 0 }, 'ssh login failed');
    if (r.lockedForMs > 0) throw new SshError('auth', `Too many failed logins: locked out for ${Math.ceil(r.lockedForMs / 60_000)} more minute(s).`);
    if (++this.wrongPasswords >= MAX_AUTH_TRIES) throw new SshError('auth', 'Too many authentication failures.');
    this.transport.send(encodeAuthFailure(METHODS));
  }

  private connection(msg: number, p: Buffer): void {
    const r = new SshReader(p);
    r.byte();
    switch (msg) {
      case MSG.USERAUTH_REQUEST:
        return; // RFC 4252 §5.1: ignored after success
      case MSG.GLOBAL_REQUEST: {
        r.string('request name');
        if (r.bool()) this.transport.send(Buffer.from([MSG.REQUEST_FAILURE])); // RFC 4254 §4
        return;
      }
      case MSG.CHANNEL_OPEN:
        return this.openChannel(r);
      case MSG.CHANNEL_REQUEST:
        return this.channel(r).onRequest(r);
      case MSG.CHANNEL_DATA: {
        const ch = this.channel(r);
        return ch.onData(r.string('data'));
      }
      case MSG.CHANNEL_EXTENDED_DATA: {
        const ch = this.channel(r);
        r.uint32();
        return ch.onExtendedData(r.string('data').length);
      }
      case MSG.CHANNEL_WINDOW_ADJUST: {
        const ch = this.channel(r);
        return ch.onWindowAdjust(r.uint32());
      }
      case MSG.CHANNEL_EOF:
        return this.channel(r).onEof();
      case MSG.CHANNEL_CLOSE:
        return this.channel(r).onClose();
      case MSG.CHANNEL_SUCCESS:
      case MSG.CHANNEL_FAILURE:
      case MSG.REQUEST_SUCCESS:
      case MSG.REQUEST_FAILURE:
        return; // the unit asks nothing that wants a reply
      default:
        // RFC 4253 §11.4
        this.transport.send(new SshWriter().byte(MSG.UNIMPLEMENTED).uint32(this.transport.lastSeq).toBuffer());
    }
  }

  /** RFC 4254 §5.1: only "session" channels, MAX_CHANNELS at a time. */
  private openChannel(r: SshReader): void {
    const type = r.string('channel type').toString('latin1');
    const sender = r.uint32();
    const window = r.uint32();
    const maxPacket = r.uint32();
    const refuse = (code: number, why: string): void =>
      this.transport.send(new SshWriter().byte(MSG.CHANNEL_OPEN_FAILURE).uint32(sender).uint32(code).string(why).string('').toBuffer());
    // RFC 4254 §5.1 reason codes: 1 administratively prohibited, 3 unknown channel type, 4 resource shortage
    if (type !== 'session') return refuse(type === 'direct-tcpip' || type === 'x11' ? 1 : 3, 'only session channels are open here');
    if (this.channels.size >= MAX_CHANNELS) return refuse(4, 'too many channels');
    const ch = new SessionChannel(this.nextChannel++, sender, window, maxPacket, this);
    this.channels.set(ch.id, ch);
    this.transport.send(ch.confirmation());
  }

  private channel(r: SshReader): SessionChannel {
    const id = r.uint32();
    const ch = this.channels.get(id);
    if (!ch) throw new SshError('protocol', `no channel ${id}`);
    return ch;
  }

  private endChannel(ch: SessionChannel, code: number, action: CliAction | undefined): void {
    const then = action && action.kind !== 'exit' ? action : undefined;
    this.guard(() => ch.finish(code, then ? () => this.deps.perform(then) : undefined));
  }

  private expire(): void {
    if (this.st === 'closed') return;
    const text = this.st === 'connection' ? 'idle timeout' : 'login grace time over';
    this.deps.log.info({ state: this.st }, `ssh: ${text}, connection closed`);
    this.guard(() => this.transport.disconnect(DISCONNECT.BY_APPLICATION, text));
    this.close();
  }

  /** Runs a step; a protocol failure disconnects with its reason, a bug is logged as one. Never throws. */
  private guard(step: () => void): void {
    try {
      step();
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    if (this.st === 'closed') return;
    const known = e instanceof SshError || e instanceof DecodeError;
    const err = e instanceof SshError ? e : new SshError('protocol', e instanceof Error ? e.message : String(e));
    const fields = { state: this.st, code: err.code, err: err.message };
    if (known) this.deps.log.warn(fields, 'ssh: bad input, connection closed');
    else this.deps.log.error({ ...fields, stack: e instanceof Error ? e.stack : undefined }, 'ssh: internal error, connection closed');
    try {
      this.transport.disconnect(err.reason, err.message);
    } catch {
      // the transport itself failed: just close
    }
    this.close();
  }

  private close(): void {
    if (this.st === 'closed') return;
    this.finish();
    this.conn.end();
  }

  private finish(): void {
    this.transition('closed');
    this.deadline.stop();
    this.transport.stop();
    for (const ch of this.channels.values()) ch.drop();
    this.channels.clear();
  }

  private transition(to: SshState): void {
    if (!ALLOWED[this.st].includes(to)) throw new SshError('protocol', `ssh session: ${this.st} → ${to}`);
    this.deps.log.debug({ from: this.st, to }, 'ssh state');
    this.st = to;
    if (to === 'connection') this.deadline.arm(() => this.deps.idleMs());
  }
}
