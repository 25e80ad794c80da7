/**
 * Where one unit's syslog messages go: a channel to the server (UDP, RFC 5426; or TLS, RFC 5425
 * with octet-counting frames), a bounded queue in front of it, and reconnection after a failure.
 * A server that is down, slow or refuses never blocks the unit: messages wait in the queue up to
 * its bound, then the oldest are dropped (and counted); the channel is reopened after a backoff
 * on the injected clock. Nothing is armed while the channel is up or the sink is off.
 *
 *   off → resolving → connecting → up
 *             ↓            ↓        ↓
 *             └──────→ waiting ←────┘      (waiting → resolving after the backoff)
 */
import type tls from 'node:tls';
import net from 'node:net';
import type { Cancel, Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { Random } from '../shared/random';
import { frameSyslog } from './octet-counting';
import type { SyslogProtocol } from './syslog-settings';

export type SinkState = 'off' | 'resolving' | 'connecting' | 'up' | 'waiting';

const ALLOWED: Readonly<Record<SinkState, readonly SinkState[]>> = {
  off: ['resolving'],
  resolving: ['connecting', 'waiting', 'off'],
  connecting: ['up', 'waiting', 'off'],
  up: ['waiting', 'off'],
  waiting: ['resolving', 'off'],
};

/** Where to send, as the settings say. */
export interface SyslogDestination {
  readonly host: string;
  readonly port: number;
  readonly protocol: SyslogProtocol;
  /** TLS: the CAs to verify the server against; undefined = the system's. */
  readonly ca?: readonly string[] | undefined;
  /** TLS: the highest version (P22294); RFC 5425 keeps the lowest at TLS 1.2. */
  readonly tlsMax?: tls.SecureVersion | undefined;
}

/** A resolved destination handed to the connector. */
export interface ChannelTarget {
  readonly address: string;
  readonly port: number;
  readonly protocol: SyslogProtocol;
  /** The configured name: TLS checks the certificate against it (RFC 5425 §5.2) and sends it as SNI. */
  readonly serverName: string;
  readonly ca?: readonly string[] | undefined;
  readonly tlsMax?: tls.SecureVersion | undefined;
}

export interface ChannelEvents {
  /** Ready to send (UDP: bound; TLS: handshake done, certificate verified). */
  onReady(): void;
  /** The socket took its buffered frames: send() may be called again. */
  onDrain(): void;
  /** A frame reached the socket (UDP send callback, TLS write callback) or did not. */
  onSent(ok: boolean): void;
  /** The channel failed or the server closed it. */
  onClose(reason: string): void;
}

export interface SyslogChannel {
  /** Takes one frame; false = the socket's buffer is full, wait for onDrain before the next. */
  send(frame: Buffer): boolean;
  /** Closes at once; no event follows. */
  close(): void;
}

/** Opens a channel. Events never fire before it returns. */
export type SyslogConnector = (to: ChannelTarget, events: ChannelEvents) => SyslogChannel;

/** The A lookup (node:dns/promises Resolver has it; tests pass a table). */
export interface SyslogResolver {
  resolve4(host: string): Promise<string[]>;
}

export interface SyslogSinkOptions {
  readonly clock: Clock;
  readonly random: Random;
  /** The sink's own log (its failures); what it logs reaches the sink again only from async callbacks. */
  readonly log: Logger;
  readonly resolver: SyslogResolver;
  readonly connect: SyslogConnector;
  /** Queue bound in messages (default 1000) and in octets (default 256 KiB): a fleet holds one per unit. */
  readonly maxQueue?: number;
  readonly maxQueueBytes?: number;
  /** Give up a connect (DNS, TCP, TLS handshake) after this long (default 10 s). */
  readonly connectTimeoutMs?: number;
}

export interface SinkCounters {
  /** Messages the socket took. */
  readonly sent: number;
  /** Messages lost: the oldest dropped from a full queue, and sends the socket refused. */
  readonly dropped: number;
  /** Messages waiting for the channel. */
  readonly queued: number;
}

const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 30_000;

/**
 * The wait before reconnect attempt n (n ≥ 1): uniform in [b, 2b], b = 1 s doubling per attempt
 * up to 30 s (1–2 s, 2–4 s, … 30–60 s). RFC 5425 sets no rule; the draw spreads a fleet that lost
 * its server at once, as TR-069 §3.2.1.1 does for sessions.
 */
export function reconnectDelayMs(attempt: number, random: Random): number {
  const b = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (Math.max(1, attempt) - 1));
  return Math.round(b + random.float() * b);
}

export class SyslogSink {
  private st: SinkState = 'off';
  private dest: SyslogDestination | undefined;
  private channel: SyslogChannel | undefined;
  private writable = false;
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private timer: Cancel | undefined;
  private failures = 0;
  /** Bumped whenever a channel or lookup is abandoned: their late callbacks are ignored. */
  private generation = 0;
  private sentCount = 0;
  private droppedCount = 0;
  private error: string | undefined;

  constructor(private readonly opts: SyslogSinkOptions) {}

  get state(): SinkState {
    return this.st;
  }

  get counters(): SinkCounters {
    return { sent: this.sentCount, dropped: this.droppedCount, queued: this.queue.length };
  }

  /** The last failure, until the channel is up again. */
  get lastError(): string | undefined {
    return this.error;
  }

  /**
   * Points the sink at a server, or nowhere (undefined). A different destination closes the old
   * channel at once and opens the new one (the queue is kept for it); the same one changes nothing.
   */
  configure(dest: SyslogDestination | undefined): void {
    if (sameDestination(dest, this.dest)) return;
    this.dest = dest;
    this.abandon();
    this.failures = 0;
    this.error = undefined;
    if (this.st !== 'off') this.transition('off');
    if (!dest) {
      this.queue = [];
      this.queuedBytes = 0;
      return;
    }
    this.open(dest);
  }

  /** One encoded message (RFC 5424): written now when the channel takes it, else queued. */
  push(message: Buffer): void {
    if (this.st === 'off') return;
    if (this.st === 'up' && this.writable && this.queue.length === 0) this.write(message);
    else this.enqueue(message);
  }

  /** Closes the channel and forgets the queue (the unit stops). */
  close(): void {
    this.configure(undefined);
  }

  private transition(to: SinkState): void {
    const from = this.st;
    if (!ALLOWED[from].includes(to)) throw new Error(`syslog sink: ${from} → ${to} not allowed`);
    this.st = to;
    this.opts.log.debug({ from, to }, 'syslog state');
  }

  private open(dest: SyslogDestination): void {
    this.transition('resolving');
    const gen = this.generation;
    // one timer covers the lookup, the connect and the TLS handshake
    this.timer = this.opts.clock.setTimer(this.opts.connectTimeoutMs ?? 10_000, () => {
      this.timer = undefined;
      this.failed(`no connection to ${dest.host}:${dest.port} within ${this.opts.connectTimeoutMs ?? 10_000} ms`);
    });
    this.lookup(dest.host).then(
      (address) => {
        if (gen === this.generation) this.connect(dest, address);
      },
      (e: Error) => {
        if (gen === this.generation) this.failed(`cannot resolve ${dest.host}: ${e.message}`);
      },
    );
  }

  private async lookup(host: string): Promise<string> {
    if (net.isIP(host)) return host;
    if (host.toLowerCase() === 'localhost') return '127.0.0.1';
    const addresses = await this.opts.resolver.resolve4(host);
    const first = addresses[0];
    if (first === undefined) throw new Error('no address');
    return first;
  }

  private connect(dest: SyslogDestination, address: string): void {
    this.transition('connecting');
    const gen = this.generation;
    const mine = (fn: () => void): void => {
      if (gen === this.generation) fn();
    };
    this.channel = this.opts.connect(
      { address, port: dest.port, protocol: dest.protocol, serverName: dest.host, ...(dest.ca ? { ca: dest.ca } : {}), ...(dest.tlsMax ? { tlsMax: dest.tlsMax } : {}) },
      {
        onReady: () => mine(() => this.ready()),
        onDrain: () => mine(() => this.drain()),
        onSent: (ok) => (ok ? this.sentCount++ : this.droppedCount++),
        onClose: (reason) => mine(() => this.failed(reason)),
      },
    );
  }

  private ready(): void {
    this.cancelTimer();
    this.transition('up');
    if (this.failures > 0) this.opts.log.info({ server: this.describe(), queued: this.queue.length, dropped: this.droppedCount }, 'syslog: connected again');
    this.failures = 0;
    this.error = undefined;
    this.drain();
  }

  private drain(): void {
    this.writable = true;
    while (this.writable && this.queue.length > 0) {
      const m = this.queue.shift() as Buffer;
      this.queuedBytes -= m.length;
      this.write(m);
    }
  }

  private write(message: Buffer): void {
    const frame = this.dest?.protocol === 'tls' ? frameSyslog(message) : message; // RFC 5425 §4.3; RFC 5426 §3.1: one per datagram
    this.writable = this.channel?.send(frame) ?? false;
  }

  /** Drop-oldest past either bound. */
  private enqueue(message: Buffer): void {
    this.queue.push(message);
    this.queuedBytes += message.length;
    const maxCount = this.opts.maxQueue ?? 1000;
    const maxBytes = this.opts.maxQueueBytes ?? 256 * 1024;
    while (this.queue.length > maxCount || (this.queuedBytes > maxBytes && this.queue.length > 1)) {
      this.queuedBytes -= (this.queue.shift() as Buffer).length;
      this.droppedCount++;
    }
  }

  private failed(reason: string): void {
    this.abandon();
    this.error = reason;
    this.failures++;
    this.transition('waiting');
    const delay = reconnectDelayMs(this.failures, this.opts.random);
    // the first failure is news; the retries of a server that stays down are not
    const level = this.failures === 1 ? 'warn' : 'debug';
    this.opts.log[level]({ server: this.describe(), reason, retryInMs: delay }, 'syslog: server unreachable, messages queue until it is back');
    const dest = this.dest;
    if (!dest) return;
    this.timer = this.opts.clock.setTimer(delay, () => {
      this.timer = undefined;
      this.open(dest);
    });
  }

  /** Forgets the channel, the timer and any lookup in flight. */
  private abandon(): void {
    this.generation++;
    this.cancelTimer();
    this.writable = false;
    const c = this.channel;
    this.channel = undefined;
    c?.close();
  }

  private cancelTimer(): void {
    this.timer?.();
    this.timer = undefined;
  }

  private describe(): string {
    return this.dest ? `${this.dest.protocol}:${this.dest.host}:${this.dest.port}` : '';
  }
}

function sameDestination(a: SyslogDestination | undefined, b: SyslogDestination | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const ca = (d: SyslogDestination): string => (d.ca ?? []).join('\n');
  return a.host === b.host && a.port === b.port && a.protocol === b.protocol && (a.ca === undefined) === (b.ca === undefined) && ca(a) === ca(b) && a.tlsMax === b.tlsMax;
}
