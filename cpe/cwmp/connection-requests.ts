/**
 * The unit's connection request listeners (TR-069 §3.2.2 over TCP, TR-111 Part 2 over UDP with a
 * STUN binding), bound to the unit's address on P4518 (+ the fleet port offset) and rebuilt when
 * their settings change. Like the HT8xx (cpestart.sh) they run only while the client is enabled
 * with an ACS URL.
 */
import type { ServiceContext } from '../service';
import { ConnectionRequestServer } from './connection-request-server';
import { UdpConnectionRequestListener } from './stun/udp-listener';

export const CR_PATH = '/';

export interface ConnectionRequestsDeps {
  readonly ctx: ServiceContext;
  enabled(): boolean;
  /** An authenticated request (TCP or UDP). */
  onRequest(): void;
  /** The STUN-mapped UDPConnectionRequestAddress changed. */
  onUdpAddressChange(): void;
  readonly minIntervalMs?: number;
}

export class ConnectionRequests {
  private tcp: ConnectionRequestServer | undefined;
  private udp: UdpConnectionRequestListener | undefined;
  private stopped = false;

  constructor(private readonly d: ConnectionRequestsDeps) {}

  /** P4518 plus the fleet offset; 0 = any free port. */
  configuredPort(): number {
    const c = this.d.ctx;
    const p = Number(c.store.get(4518));
    return p === 0 ? 0 : p + (c.ports.offset ?? 0);
  }

  get port(): number {
    return this.tcp?.port ?? this.configuredPort();
  }

  get running(): boolean {
    return this.tcp !== undefined;
  }

  /** UDPConnectionRequestAddress ('' until STUN told us). */
  get udpAddress(): string {
    return this.udp?.address ?? '';
  }

  url(): string {
    const a = this.d.ctx.network.address;
    const host = a.includes(':') ? `[${a}]` : a;
    return `http://${host}:${this.port}${CR_PATH}`;
  }

  async start(): Promise<void> {
    this.stopped = false;
    if (!this.d.enabled()) return;
    const c = this.d.ctx;
    const s = c.store;
    const limit = this.d.minIntervalMs !== undefined ? { minIntervalMs: this.d.minIntervalMs } : {};
    const server = new ConnectionRequestServer({
      address: c.network.address,
      port: this.configuredPort(),
      path: CR_PATH,
      realm: 'HT813',
      clock: c.clock,
      random: c.random,
      log: c.log,
      credentials: () => ({ username: s.get(4511), password: s.get(4512) }),
      onRequest: () => this.d.onRequest(),
      ...limit,
    });
    try {
      await server.start();
      this.tcp = server;
    } catch (e) {
      c.log.error({ err: e instanceof Error ? e.message : String(e), port: this.configuredPort() }, 'connection request server could not bind');
      return;
    }
    if (s.get(8205) !== '1') return;
    // TR-111 Part 2: the same port number over UDP.
    const listener = new UdpConnectionRequestListener({
      address: c.network.address,
      port: server.port,
      clock: c.clock,
      random: c.random,
      log: c.log,
      stunServer: () => s.get(8209),
      stunCredentials: () => ({ username: s.get(8201), password: s.get(8202) }),
      keepAliveMs: () => (Number(s.get(4520)) > 0 ? Number(s.get(4520)) * 1000 : 30_000),
      credentials: () => ({ username: s.get(4511), password: s.get(4512) }),
      onRequest: () => this.d.onRequest(),
      onAddressChange: () => this.d.onUdpAddressChange(),
      ...limit,
    });
    try {
      await listener.start();
      this.udp = listener;
    } catch (e) {
      c.log.error({ err: e instanceof Error ? e.message : String(e), port: server.port }, 'UDP connection request socket could not bind');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const tcp = this.tcp;
    this.tcp = undefined;
    this.udp?.stop();
    this.udp = undefined;
    await tcp?.stop();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}
