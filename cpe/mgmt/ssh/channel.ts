/**
 * One "session" channel (RFC 4254 §6): "pty-req" (§6.2) before "shell" or "exec" (§6.5), data
 * both ways under flow control (§5.2), "exit-status" (§6.10), then EOF and CLOSE (§5.3).
 * The channel keeps the window it grants small and refills it as data is consumed; output waits
 * for the client's window, up to MAX_PENDING_OUTPUT. Transport-free: payloads out through `send`.
 */
import { MSG } from './messages';
import { SshError } from './ssh-errors';
import { SshReader, SshWriter } from './wire';

/** The window the unit grants, and the largest data packet it takes (RFC 4254 §5.1). */
export const LOCAL_WINDOW = 64 * 1024;
export const LOCAL_MAX_PACKET = 32 * 1024;
/** Largest CHANNEL_DATA the unit sends, whatever the client allows. */
const MAX_SEND = 16 * 1024;
/** Output held while the client's window is shut. */
export const MAX_PENDING_OUTPUT = 1024 * 1024;
/** Channel requests one channel may make. */
export const MAX_REQUESTS = 64;

export type ChannelState = 'open' | 'running' | 'closing' | 'closed';

const ALLOWED: Readonly<Record<ChannelState, readonly ChannelState[]>> = {
  open: ['running', 'closing', 'closed'],
  running: ['closing', 'closed'],
  closing: ['closed'],
  closed: [],
};

/** What runs in the channel: a shell or one command. */
export interface ChannelApp {
  input(data: Buffer): void;
  /** The client sent EOF. */
  eof(): void;
  /** The channel is gone (client CLOSE, connection end). */
  gone(): void;
}

export interface ChannelHost {
  send(payload: Buffer): void;
  /** "shell": the app reads input and writes through the channel. */
  shell(ch: SessionChannel): ChannelApp;
  /** "exec": runs `command`; ends the channel itself. */
  exec(ch: SessionChannel, command: string): ChannelApp;
  /** The close handshake is complete: the channel id may go. */
  released(ch: SessionChannel): void;
}

export class SessionChannel {
  private st: ChannelState = 'open';
  private app: ChannelApp | undefined;
  private localWindow = LOCAL_WINDOW;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private requests = 0;
  private closeSent = false;
  private closeReceived = false;
  private released = false;
  private exit: { code: number; after?: () => void } | undefined;
  /** The client asked for a pty: the far end is a terminal (echo, CR LF). */
  pty = false;

  constructor(
    readonly id: number,
    readonly remoteId: number,
    private remoteWindow: number,
    private readonly remoteMaxPacket: number,
    private readonly host: ChannelHost,
  ) {}

  get state(): ChannelState {
    return this.st;
  }

  /** RFC 4254 §5.1 SSH_MSG_CHANNEL_OPEN_CONFIRMATION. */
  confirmation(): Buffer {
    return new SshWriter().byte(MSG.CHANNEL_OPEN_CONFIRMATION).uint32(this.remoteId).uint32(this.id).uint32(LOCAL_WINDOW).uint32(LOCAL_MAX_PACKET).toBuffer();
  }

  onRequest(r: SshReader): void {
    if (++this.requests > MAX_REQUESTS) throw new SshError('protocol', `more than ${MAX_REQUESTS} channel requests`);
    const type = r.string('request type').toString('latin1');
    const wantReply = r.bool();
    let ok = false;
    if (this.st === 'open' && type === 'pty-req') {
      r.string('TERM'); // RFC 4254 §6.2: then sizes and modes, not used
      this.pty = true;
      ok = true;
    } else if (this.st === 'open' && (type === 'shell' || type === 'exec')) {
      const command = type === 'exec' ? r.utf8('command') : '';
      this.transition('running');
      // the reply goes before any output of the command (RFC 4254 §6.5)
      if (wantReply) this.host.send(this.status(true));
      this.app = type === 'shell' ? this.host.shell(this) : this.host.exec(this, command);
      return;
    }
    // env, window-change, signal, subsystem, agent forwarding, keepalive...: not done here
    if (wantReply) this.host.send(this.status(ok));
  }

  onData(data: Buffer): void {
    if (data.length > this.localWindow) throw new SshError('protocol', `channel data of ${data.length} bytes over the window of ${this.localWindow}`);
    this.localWindow -= data.length;
    if (this.st === 'running') this.app?.input(data);
    if (this.localWindow < LOCAL_WINDOW / 2 && this.st !== 'closed') {
      const add = LOCAL_WINDOW - this.localWindow;
      this.localWindow = LOCAL_WINDOW;
      this.host.send(new SshWriter().byte(MSG.CHANNEL_WINDOW_ADJUST).uint32(this.remoteId).uint32(add).toBuffer());
    }
  }

  /** Extended data from the client (RFC 4254 §5.2) only uses up window. */
  onExtendedData(length: number): void {
    if (length > this.localWindow) throw new SshError('protocol', 'channel extended data over the window');
    this.localWindow -= length;
  }

  onWindowAdjust(add: number): void {
    this.remoteWindow = Math.min(this.remoteWindow + add, 0xffffffff);
    this.flush();
  }

  onEof(): void {
    if (this.st === 'running') this.app?.eof();
  }

  onClose(): void {
    this.closeReceived = true;
    if (!this.closeSent) {
      this.closeSent = true;
      this.host.send(this.simple(MSG.CHANNEL_CLOSE));
    }
    this.release();
  }

  /** Output of the app; waits for the client's window. */
  write(data: Buffer): void {
    if (this.st !== 'running' || data.length === 0) return;
    this.pendingBytes += data.length;
    if (this.pendingBytes > MAX_PENDING_OUTPUT) throw new SshError('too-large', 'the client does not take the output (window shut)');
    this.pending.push(data);
    this.flush();
  }

  /** The app is done: exit-status, EOF, CLOSE once the output is out; then `after` (a reboot...). */
  finish(code: number, after?: () => void): void {
    if (this.st !== 'running') return;
    this.exit = after ? { code, after } : { code };
    this.transition('closing');
    this.flush();
  }

  /** The connection is going: the app is told, nothing more is sent. */
  drop(): void {
    if (this.st === 'closed') return;
    this.transition('closed');
    this.app?.gone();
  }

  private flush(): void {
    const limit = Math.max(1, Math.min(this.remoteMaxPacket, MAX_SEND));
    while (this.pending.length > 0 && this.remoteWindow > 0) {
      const head = this.pending[0]!;
      const n = Math.min(head.length, this.remoteWindow, limit);
      this.host.send(new SshWriter().byte(MSG.CHANNEL_DATA).uint32(this.remoteId).string(head.subarray(0, n)).toBuffer());
      this.remoteWindow -= n;
      this.pendingBytes -= n;
      if (n === head.length) this.pending.shift();
      else this.pending[0] = head.subarray(n);
    }
    if (this.st === 'closing' && this.pending.length === 0 && this.exit && !this.closeSent) {
      const { code } = this.exit;
      this.host.send(
        new SshWriter().byte(MSG.CHANNEL_REQUEST).uint32(this.remoteId).string('exit-status').bool(false).uint32(code).toBuffer(),
      );
      this.host.send(this.simple(MSG.CHANNEL_EOF));
      this.closeSent = true;
      this.host.send(this.simple(MSG.CHANNEL_CLOSE));
      this.runAfter();
      if (this.closeReceived) this.release();
    }
  }

  /** What the app asked to do once it ended (a reboot) happens even when the client closed first. */
  private runAfter(): void {
    const after = this.exit?.after;
    if (this.exit) this.exit = { code: this.exit.code };
    after?.();
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    if (this.st !== 'closed') {
      this.transition('closed');
      this.app?.gone();
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.runAfter();
    this.host.released(this);
  }

  private status(ok: boolean): Buffer {
    return this.simple(ok ? MSG.CHANNEL_SUCCESS : MSG.CHANNEL_FAILURE);
  }

  private simple(msg: number): Buffer {
    return new SshWriter().byte(msg).uint32(this.remoteId).toBuffer();
  }

  private transition(to: ChannelState): void {
    if (!ALLOWED[this.st].includes(to)) throw new SshError('protocol', `channel ${this.id}: ${this.st} → ${to}`);
    this.st = to;
  }
}
