/**
 * UDP for RTP between units in one test, under a FakeClock: bind(address, port) as the unit's
 * RtpMediaFactory asks, datagrams delivered through clock timers after `latencyMs` plus a seeded
 * jitter of up to `jitterMs` (so packets may overtake one another, as on a real network).
 */
import type { Clock } from '../../../cpe/shared/clock';
import type { Random } from '../../../cpe/shared/random';
import type { UdpAddress, UdpSocket } from '../../../cpe/media/rtp/udp-socket';

export class MemoryUdpNetwork {
  private readonly sockets = new Map<string, { handler?: (d: Buffer, from: UdpAddress) => void }>();
  /** Datagrams delivered and lost (nobody bound there). */
  readonly stats = { delivered: 0, unbound: 0 };

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly latencyMs = 10,
    private readonly jitterMs = 0,
  ) {}

  /** The RtpDeps.bind of a unit. */
  readonly bind = async (address: string, port: number): Promise<UdpSocket> => {
    const key = `${address}:${port}`;
    if (this.sockets.has(key)) throw new Error(`EADDRINUSE ${key}`);
    const entry: { handler?: (d: Buffer, from: UdpAddress) => void } = {};
    this.sockets.set(key, entry);
    const local = { address, port };
    return {
      local,
      send: (data, to) => {
        const copy = Buffer.from(data);
        const delay = this.latencyMs + (this.jitterMs > 0 ? this.random.int(this.jitterMs + 1) : 0);
        this.clock.setTimer(delay, () => {
          const dest = this.sockets.get(`${to.address}:${to.port}`);
          if (!dest?.handler) return void this.stats.unbound++;
          this.stats.delivered++;
          dest.handler(copy, local);
        });
      },
      onMessage: (h) => {
        entry.handler = h;
      },
      close: () => {
        if (this.sockets.get(key) === entry) this.sockets.delete(key);
      },
    };
  };
}
