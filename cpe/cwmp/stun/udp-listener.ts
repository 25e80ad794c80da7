/**
 * The UDP side of TR-111 Part 2: one UDP socket on the connection request port that keeps a STUN
 * binding alive with Binding Requests (CONNECTION-REQUEST-BINDING, BINDING-CHANGE, optional
 * USERNAME + MESSAGE-INTEGRITY from STUNUsername/STUNPassword), learns UDPConnectionRequestAddress,
 * and accepts signed UDP connection requests arriving on that socket.
 */
import dgram from 'node:dgram';
import dns from 'node:dns/promises';
import net from 'node:net';
import type { Cancel, Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { Random } from '../../shared/random';
import { ATTR, BINDING_REQUEST, BINDING_SUCCESS, TR111_BINDING_VALUE, decodeStun, encodeStun, mappedAddress, MAGIC_COOKIE, type StunAttribute } from '../../shared/stun';
import { checkUdpConnectionRequest, decodeUdpConnectionRequest } from './udp-connection-request';
import { bindSocket } from '../../shared/bind-udp';

export interface UdpListenerDeps {
  readonly address: string;
  readonly port: number;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  /** `host[:port]` of the STUN server (P8209), or '' for none. */
  stunServer(): string;
  stunCredentials(): { username: string; password: string };
  /** Binding refresh period (ms). */
  keepAliveMs(): number;
  credentials(): { username: string; password: string };
  onRequest(): void;
  onAddressChange(address: string): void;
  readonly minIntervalMs?: number;
}

export class UdpConnectionRequestListener {
  private socket: dgram.Socket | undefined;
  private timer: Cancel | undefined;
  private pending: Buffer | undefined;
  private mapped = '';
  private changed = false;
  private last: { ts: number; id: string } | undefined;
  private lastAccepted = -Infinity;

  constructor(private readonly d: UdpListenerDeps) {}

  /** UDPConnectionRequestAddress: the STUN-mapped `ip:port`, '' until known. */
  get address(): string {
    return this.mapped;
  }

  get boundPort(): number {
    return this.socket?.address().port ?? this.d.port;
  }

  async start(): Promise<void> {
    const s = dgram.createSocket(net.isIPv6(this.d.address) ? 'udp6' : 'udp4');
    s.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    s.on('error', (e) => this.d.log.warn({ err: e.message }, 'UDP connection request socket error'));
    await bindSocket(s, { port: this.d.port, address: this.d.address });
    this.socket = s;
    this.refresh();
  }

  stop(): void {
    this.timer?.();
    this.timer = undefined;
    this.socket?.close();
    this.socket = undefined;
  }

  /** Sends a Binding Request now and arms the next one. */
  private refresh(): void {
    this.timer?.();
    this.timer = undefined;
    const server = this.d.stunServer();
    if (!this.socket || server === '') return;
    void this.sendBinding(server).catch((e: unknown) => this.d.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'STUN binding request failed'));
    this.timer = this.d.clock.setTimer(this.d.keepAliveMs(), () => this.refresh());
  }

  private async sendBinding(server: string): Promise<void> {
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(server);
    if (!m) return;
    const host = m[1]!.replace(/^\[|\]$/g, '');
    const port = m[2] ? Number(m[2]) : 3478;
    let ip = host;
    if (!net.isIP(host)) {
      try {
        ip = (await dns.lookup(host, { family: 4 })).address;
      } catch (e) {
        this.d.log.warn({ server, err: e instanceof Error ? e.message : String(e) }, 'STUN server not found');
        return;
      }
    }
    const tid = this.d.random.bytes(12);
    const attrs: StunAttribute[] = [{ type: ATTR.CONNECTION_REQUEST_BINDING, value: Buffer.from(TR111_BINDING_VALUE, 'latin1') }];
    if (this.changed) attrs.push({ type: ATTR.BINDING_CHANGE, value: Buffer.alloc(0) });
    const { username, password } = this.d.stunCredentials();
    if (username !== '') attrs.push({ type: ATTR.USERNAME, value: Buffer.from(username, 'utf8') });
    const msg = encodeStun({ type: BINDING_REQUEST, transactionId: tid, attributes: attrs }, username !== '' ? password : undefined);
    this.pending = tid;
    this.socket?.send(msg, port, ip);
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    try {
      if (msg.length >= 20 && (msg[0]! & 0xc0) === 0 && msg.readUInt32BE(4) === MAGIC_COOKIE) return this.onStun(msg);
      this.onRequestDatagram(msg, rinfo);
    } catch (e) {
      this.d.log.debug({ from: rinfo.address, err: e instanceof Error ? e.message : String(e) }, 'UDP datagram ignored');
    }
  }

  private onStun(msg: Buffer): void {
    const m = decodeStun(msg);
    if (m.type !== BINDING_SUCCESS || !this.pending || !m.transactionId.equals(this.pending)) return;
    this.pending = undefined;
    this.changed = false;
    const a = mappedAddress(m);
    if (!a) return;
    const addr = `${a.address}:${a.port}`;
    if (addr === this.mapped) return;
    const first = this.mapped === '';
    this.mapped = addr;
    if (!first) this.changed = true; // TR-111: the next Binding Request carries BINDING-CHANGE
    this.d.onAddressChange(addr);
  }

  private onRequestDatagram(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const r = decodeUdpConnectionRequest(msg);
    if (!r) return;
    const verdict = checkUdpConnectionRequest(r, this.d.credentials(), this.last);
    if (verdict !== 'accept') {
      this.d.log.warn({ from: rinfo.address, verdict }, 'UDP connection request refused');
      return;
    }
    this.last = { ts: r.ts, id: r.id };
    const now = this.d.clock.now();
    if (now - this.lastAccepted < (this.d.minIntervalMs ?? 5_000)) return;
    this.lastAccepted = now;
    this.d.log.info({ from: rinfo.address }, 'UDP connection request accepted');
    this.d.onRequest();
  }
}
