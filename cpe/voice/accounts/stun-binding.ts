/**
 * NAT traversal by STUN for one account (P52/P730 = STUN, server P76, refresh P84): RFC 5389 Binding
 * requests sent from the account's own SIP UDP socket, so the XOR-MAPPED-ADDRESS learned is the
 * public address of that socket (used in Contact and Via sent-by). The binding is refreshed every
 * P84 s, which also keeps the NAT mapping open; a changed mapping is reported at once.
 * Retransmission (RFC 5389 §7.2.1) starts at RTO = 500 ms and doubles; we stop after 3 sends
 * (3.5 s, not Rc = 7 / 39.5 s) so registration is not held up; the next refresh tries again.
 */
import net from 'node:net';
import type { Cancel, Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { Random } from '../../shared/random';
import { BINDING_REQUEST, BINDING_SUCCESS, decodeStun, encodeStun, mappedAddress, type MappedAddress } from '../../shared/stun';
import type { DnsResolver } from '../sip/transport/locator';
import type { HostPort, StunTransport } from '../sip/transport/transport';
import type { HostSpec } from './account-config';

export const STUN_DEFAULT_PORT = 3478;
const RTO_MS = 500;
const MAX_SENDS = 3;

export interface StunBindingDeps {
  clock: Clock;
  random: Random;
  log: Logger;
  dns: DnsResolver;
  transport: StunTransport;
  server: HostSpec;
  intervalMs: number;
  /** A new public address (not called for the first one, which `start` resolves with). */
  onChange(address: HostPort): void;
}

export class StunBinding {
  /** The public address last learned, undefined until the first answer. */
  mapped: MappedAddress | undefined;
  private pending: { tid: Buffer; sends: number; cancel: Cancel | undefined; to: HostPort } | undefined;
  private refreshTimer: Cancel | undefined;
  private firstWaiter: ((a: MappedAddress | undefined) => void) | undefined;
  private stopped = false;

  constructor(private readonly d: StunBindingDeps) {
    d.transport.setStunHandler((bytes, from) => this.onDatagram(bytes, from));
  }

  /** Sends the first Binding request; resolves with the mapped address, or undefined on no answer. */
  start(): Promise<MappedAddress | undefined> {
    return new Promise((resolve) => {
      this.firstWaiter = resolve;
      this.refresh();
    });
  }

  stop(): void {
    this.stopped = true;
    this.refreshTimer?.();
    this.refreshTimer = undefined;
    this.pending?.cancel?.();
    this.pending = undefined;
    this.d.transport.setStunHandler(undefined);
    this.settleFirst(undefined);
  }

  /** One Binding transaction now, the next one P84 s after this one started. */
  private refresh(): void {
    if (this.stopped) return;
    this.refreshTimer?.();
    this.refreshTimer = this.d.clock.setTimer(this.d.intervalMs, () => this.refresh());
    void this.resolveServer().then((to) => {
      if (this.stopped) return;
      if (!to) return this.settleFirst(undefined);
      this.pending?.cancel?.();
      this.pending = { tid: this.d.random.bytes(12), sends: 0, cancel: undefined, to };
      this.send();
    });
  }

  private send(): void {
    const p = this.pending;
    if (!p || this.stopped) return;
    if (p.sends >= MAX_SENDS) {
      this.pending = undefined;
      this.d.log.warn({ server: `${p.to.address}:${p.to.port}` }, 'sip: STUN server did not answer');
      return this.settleFirst(undefined);
    }
    const wait = RTO_MS * 2 ** p.sends;
    p.sends++;
    this.d.transport.sendDatagram(encodeStun({ type: BINDING_REQUEST, transactionId: p.tid, attributes: [] }), p.to).catch((e: Error) => {
      this.d.log.warn({ err: e.message }, 'sip: STUN binding request not sent');
    });
    p.cancel = this.d.clock.setTimer(wait, () => this.send());
  }

  private async resolveServer(): Promise<HostPort | undefined> {
    const host = this.d.server.host.replace(/^\[|\]$/g, '');
    const port = this.d.server.port ?? STUN_DEFAULT_PORT;
    if (net.isIP(host)) return { address: host, port };
    try {
      const [address] = await this.d.dns.resolve4(host);
      if (address !== undefined) return { address, port };
    } catch (e) {
      this.d.log.warn({ server: host, err: (e as Error).message }, 'sip: STUN server not found');
      return undefined;
    }
    this.d.log.warn({ server: host }, 'sip: STUN server not found');
    return undefined;
  }

  /** Bad or unrelated STUN datagrams are ignored (with a debug line); only our transaction counts. */
  private onDatagram(bytes: Buffer, from: HostPort): void {
    const p = this.pending;
    if (!p) return;
    let mapped: MappedAddress | undefined;
    try {
      const m = decodeStun(bytes);
      if (m.type !== BINDING_SUCCESS || !m.transactionId.equals(p.tid)) return;
      mapped = mappedAddress(m);
    } catch (e) {
      this.d.log.debug({ from: `${from.address}:${from.port}`, err: (e as Error).message }, 'sip: bad STUN datagram ignored');
      return;
    }
    if (!mapped) return;
    p.cancel?.();
    this.pending = undefined;
    const before = this.mapped;
    this.mapped = mapped;
    if (this.firstWaiter) return this.settleFirst(mapped);
    if (!before || before.address !== mapped.address || before.port !== mapped.port) {
      this.d.log.info({ from: before ? `${before.address}:${before.port}` : undefined, to: `${mapped.address}:${mapped.port}` }, 'sip: STUN mapped address changed');
      this.d.onChange(mapped);
    }
  }

  private settleFirst(a: MappedAddress | undefined): void {
    const w = this.firstWaiter;
    this.firstWaiter = undefined;
    w?.(a);
  }
}
