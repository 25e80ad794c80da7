/**
 * An in-memory syslog connector for sink and service tests: every channel opened is kept, with
 * the frames it took; the test says when it is ready, full, drained or broken. Events are only
 * fired by the test, never inside connect() (the SyslogConnector contract).
 */
import type { ChannelEvents, ChannelTarget, SyslogChannel, SyslogConnector, SyslogResolver } from '../../cpe/syslog/syslog-sink';
import type { Random } from '../../cpe/shared/random';

export class FakeChannel implements SyslogChannel {
  readonly frames: Buffer[] = [];
  closed = false;
  /** send() answers false while set (the socket's buffer is full). */
  full = false;

  constructor(readonly target: ChannelTarget, private readonly events: ChannelEvents) {}

  send(frame: Buffer): boolean {
    if (this.closed) throw new Error('send on a closed channel');
    this.frames.push(frame);
    this.events.onSent(true);
    return !this.full;
  }

  close(): void {
    this.closed = true;
  }

  ready(): void {
    this.events.onReady();
  }

  drain(): void {
    this.full = false;
    this.events.onDrain();
  }

  /** The server went away (or refused the certificate...). */
  fail(reason = 'connection reset'): void {
    this.events.onClose(reason);
  }

  text(): string[] {
    return this.frames.map((f) => f.toString('utf8'));
  }
}

export class FakeConnector {
  readonly channels: FakeChannel[] = [];
  readonly connect: SyslogConnector = (to, events) => {
    const c = new FakeChannel(to, events);
    this.channels.push(c);
    return c;
  };

  get last(): FakeChannel {
    const c = this.channels[this.channels.length - 1];
    if (!c) throw new Error('no channel opened');
    return c;
  }

  /** Every frame of every channel, in order. */
  frames(): Buffer[] {
    return this.channels.flatMap((c) => c.frames);
  }
}

/** A resolver from a table; a name it lacks fails as NXDOMAIN would. */
export function tableResolver(table: Record<string, string[]>, asked: string[] = []): SyslogResolver {
  return {
    resolve4: async (host) => {
      asked.push(host);
      const a = table[host];
      if (!a) throw new Error(`queryA ENOTFOUND ${host}`);
      return a;
    },
  };
}

/** Random whose float() is fixed: backoff waits become exact. */
export function fixedRandom(f = 0): Random {
  return { bytes: (n) => Buffer.alloc(n), int: () => 0, float: () => f };
}

/** Lets resolved promises run (lookups complete) without moving the clock. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}
