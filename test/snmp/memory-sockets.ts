/** An in-memory SnmpSocketFactory: records binds and sends; the test delivers datagrams by hand. */
import type { Sender, SnmpSocket, SnmpSocketFactory } from '../../cpe/snmp/udp-endpoint';

export interface MemorySocket extends SnmpSocket {
  readonly address: string;
  readonly sent: Array<{ bytes: Buffer; port: number; address: string }>;
  closed: boolean;
  /** A datagram arrives from `from`; returns what the agent sent back to it. */
  deliver(bytes: Buffer, from?: Sender): Buffer[];
}

export class MemorySockets {
  readonly opened: MemorySocket[] = [];
  /** `address|port` that refuse to bind (EADDRINUSE). */
  readonly busy = new Set<string>();

  readonly open: SnmpSocketFactory = async (address, port, onMessage) => {
    if (this.busy.has(`${address}|${port}`)) throw Object.assign(new Error(`bind EADDRINUSE ${address}:${port}`), { code: 'EADDRINUSE' });
    const sock: MemorySocket = {
      address,
      port,
      sent: [],
      closed: false,
      send(bytes, p, a) {
        if (!sock.closed) sock.sent.push({ bytes, port: p, address: a });
      },
      close() {
        sock.closed = true;
      },
      deliver(bytes, from = { address: '192.0.2.99', port: 40000 }) {
        const before = sock.sent.length;
        onMessage(bytes, from);
        return sock.sent.slice(before).filter((s) => s.address === from.address && s.port === from.port).map((s) => s.bytes);
      },
    };
    this.opened.push(sock);
    return sock;
  };

  /** The socket open now (the last one opened and not closed). */
  get current(): MemorySocket | undefined {
    return [...this.opened].reverse().find((s) => !s.closed);
  }
}

/** Lets pending promise callbacks run (binds and trap sends are asynchronous). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}
