/**
 * The 'snmp' service: an SNMP agent on UDP P21903 (+ the fleet port offset) on the unit's address
 * while P21896 = 1, for the version of P21904 (v1/v2c by community P21902, v3 by the USM user
 * P21905-P21910), read-only; and traps to P21897:P21898 (version P21899, community P21900, v3
 * user P21911-P21916): coldStart when the trap sender starts, htStatusNotification every P21901
 * minutes. A change of any SNMP P-value applies at once (rebinding when the port changes). Off,
 * or with no trap destination, it arms no timer. Status `snmp`.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import type { ChangeEvent } from '../params/types';
import type { Service, ServiceContext, StopReason } from '../service';
import type { Cancel } from '../shared/clock';
import { SnmpAgent } from './agent';
import { ht813Objects } from './ht813-mib';
import { Mib } from './mib';
import { buildTrap, type TrapKind, type TrapTarget } from './notification-originator';
import { RateLimitedLog } from './rate-limited-log';
import { newCounters, type SnmpCounters } from './snmp-counters';
import { engineBoots, engineIdFromMac, engineTime, type EngineState } from './snmp-engine';
import type { SnmpVersion } from './snmp-message';
import { snmpSettings, SNMP_PVALUES, type SnmpSettings, type TrapSettings } from './snmp-settings';
import { standardObjects, uptimeTicks } from './standard-mib';
import { udpSocketFactory, type Sender, type SnmpSocket, type SnmpSocketFactory } from './udp-endpoint';
import { desCbcAvailable } from './usm-crypto';
import { localizeUser } from './usm-keys';

declare module '../status' {
  interface StatusMap {
    snmp: SnmpStatus;
  }
}

export interface SnmpStatus {
  /** off: P21896 = 0; error: the port could not be bound (see lastError). */
  readonly state: 'off' | 'listening' | 'error';
  readonly port?: number;
  readonly version?: SnmpVersion;
  /** snmpEngineID in hex. */
  readonly engineId: string;
  readonly traps?: { readonly destination: string; readonly version: SnmpVersion; readonly intervalMinutes: number; readonly sent: number };
  readonly received: number;
  readonly answered: number;
  /** Settings that could not be used, and why (never quoting a key or community). */
  readonly problems: readonly string[];
  readonly lastError?: string;
}

export interface SnmpServiceOptions {
  /** Default: node:dgram on the unit's address. */
  readonly openSocket?: SnmpSocketFactory;
  /** Resolves a trap destination name to an address. Default: node:dns lookup. */
  readonly lookup?: (host: string) => Promise<string>;
  /** Default: probed from node:crypto. */
  readonly desAvailable?: boolean;
}

interface ActiveTraps {
  readonly settings: TrapSettings;
  readonly target: TrapTarget;
  /** The trap settings but the interval, as a comparable key (includes secrets: never logged). */
  readonly key: string;
}

export class SnmpService implements Service {
  readonly name = 'snmp';
  private readonly counters: SnmpCounters = newCounters();
  private readonly engineId: Buffer;
  private readonly mib: Mib;
  private readonly agent: SnmpAgent;
  private readonly drops: RateLimitedLog;
  private readonly trapFailures: RateLimitedLog;
  private readonly openSocket: SnmpSocketFactory;
  private readonly lookup: (host: string) => Promise<string>;
  private readonly des: boolean;
  private settings: SnmpSettings | undefined;
  private socket: SnmpSocket | undefined;
  private boundTo: string | undefined;
  private lastError: string | undefined;
  private traps: ActiveTraps | undefined;
  private trapTimer: Cancel | undefined;
  private trapsSent = 0;
  private unsubscribe: (() => void) | undefined;
  private applying: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly ctx: ServiceContext,
    opts: SnmpServiceOptions = {},
  ) {
    this.engineId = engineIdFromMac(ctx.identity.mac);
    this.mib = new Mib([
      ...standardObjects({ identity: ctx.identity, uptimeMs: () => this.uptimeMs(), engine: () => this.engine(), counters: this.counters }),
      ...ht813Objects({ identity: ctx.identity, status: ctx.status }),
    ]);
    this.agent = new SnmpAgent({ mib: this.mib, engine: () => this.engine(), counters: this.counters, random: ctx.random });
    this.drops = new RateLimitedLog(ctx.log, ctx.clock);
    this.trapFailures = new RateLimitedLog(ctx.log, ctx.clock);
    this.openSocket = opts.openSocket ?? udpSocketFactory;
    this.lookup = opts.lookup ?? (async (host) => (await dns.lookup(host, { family: net.isIPv6(ctx.network.address) ? 6 : 4 })).address);
    this.des = opts.desAvailable ?? desCbcAvailable();
  }

  get status(): SnmpStatus {
    const s = this.settings;
    const on = s?.enabled === true;
    const t = this.traps?.settings;
    return {
      state: !on ? 'off' : this.socket ? 'listening' : 'error',
      ...(on ? { port: this.socket?.port ?? this.configuredPort(s), version: s.version } : {}),
      engineId: this.engineId.toString('hex'),
      ...(t ? { traps: { destination: hostPort(t.host, t.port), version: t.version, intervalMinutes: t.intervalMinutes, sent: this.trapsSent } } : {}),
      received: this.counters.inPkts,
      answered: this.counters.outPkts,
      problems: s?.problems ?? [],
      ...(on && !this.socket && this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.ctx.status.provide('snmp', () => this.status);
    this.unsubscribe = this.ctx.store.subscribe((e) => this.onChange(e));
    await this.reconfigure('start');
  }

  async stop(_reason: StopReason): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.applying;
    this.stopTraps();
    this.closeSocket();
    this.ctx.status.withdraw('snmp');
  }

  private onChange(e: ChangeEvent): void {
    if (!e.changes.some((c) => SNMP_PVALUES.has(c.id))) return;
    void this.reconfigure(e.source);
  }

  /** Applies the settings after any apply in flight (binds are asynchronous). */
  private reconfigure(source: string): Promise<void> {
    const next = this.applying.then(() => this.apply(source)).catch((e: unknown) => this.ctx.log.error({ err: errText(e) }, 'snmp: reconfiguration failed'));
    this.applying = next;
    return next;
  }

  private async apply(source: string): Promise<void> {
    if (this.stopped) return;
    const s = snmpSettings((id) => this.ctx.store.get(id), this.des);
    this.settings = s;
    for (const problem of s.problems) this.ctx.log.warn({ problem }, 'snmp: setting not usable');
    this.agent.configure({
      version: s.version,
      community: Buffer.from(s.community, 'utf8'),
      minLevel: s.user?.level ?? 'noAuthNoPriv',
      ...(s.user ? { user: localizeUser(s.user, this.engineId) } : {}),
    });
    await this.bind(s);
    this.applyTraps(s);
    const t = this.traps?.settings;
    // a fleet boots thousands of units with SNMP off: that is not news
    const level = s.enabled || source !== 'start' ? 'info' : 'debug';
    this.ctx.log[level](
      { source, enabled: s.enabled, port: s.enabled ? this.socket?.port ?? this.configuredPort(s) : null, version: s.enabled ? s.version : null, traps: t ? `${t.version} to ${hostPort(t.host, t.port)} every ${t.intervalMinutes} min` : null },
      'snmp settings applied',
    );
  }

  private configuredPort(s: SnmpSettings): number {
    return s.port + (this.ctx.ports.offset ?? 0);
  }

  /** Binds (or rebinds, or closes) the agent socket to match the settings. */
  private async bind(s: SnmpSettings): Promise<void> {
    const address = this.ctx.network.address;
    const want = s.enabled ? `${address}|${this.configuredPort(s)}` : undefined;
    if (want === this.boundTo && (want === undefined || this.socket)) return;
    this.closeSocket();
    if (!s.enabled) return;
    const port = this.configuredPort(s);
    try {
      if (port > 65535) throw new RangeError(`port ${port} (P21903 + offset) is out of range`);
      this.socket = await this.openSocket(address, port, (d, from) => this.onDatagram(d, from), (e) => this.drops.warn({ err: e.message }, 'snmp: socket error'));
      this.boundTo = want;
      this.lastError = undefined;
      if (this.stopped) this.closeSocket();
    } catch (e) {
      this.lastError = errText(e);
      this.ctx.log.error({ port, err: this.lastError }, 'snmp: agent port could not be bound; the agent is off');
    }
  }

  private closeSocket(): void {
    this.socket?.close();
    this.socket = undefined;
    this.boundTo = undefined;
  }

  private onDatagram(datagram: Buffer, from: Sender): void {
    try {
      const r = this.agent.handle(datagram);
      if ('reply' in r) this.socket?.send(r.reply, from.port, from.address);
      else this.drops.warn({ from: hostPort(from.address, from.port), reason: r.drop, ...(r.detail ? { detail: r.detail } : {}) }, 'snmp: datagram dropped');
    } catch (e) {
      // a bug must not take the unit down with it: the datagram is dropped
      this.drops.warn({ from: hostPort(from.address, from.port), err: errText(e) }, 'snmp: datagram failed');
    }
  }

  private engine(): EngineState {
    return { id: this.engineId, boots: engineBoots(this.ctx.device.bootCount()), time: engineTime(this.ctx.clock.now(), this.ctx.device.bootTime()) };
  }

  private uptimeMs(): number {
    return this.ctx.clock.now() - this.ctx.device.bootTime();
  }

  // ---- traps ----

  /**
   * Starts, restarts or stops the trap sender. Untouched when its settings did not change; a new
   * interval alone re-arms the timer from now.
   */
  private applyTraps(s: SnmpSettings): void {
    const t = s.trap && this.socket ? s.trap : undefined;
    const key = t ? JSON.stringify({ ...t, intervalMinutes: 0 }) : undefined;
    const current = this.traps;
    if (t && current && key === current.key) {
      if (t.intervalMinutes === current.settings.intervalMinutes) return;
      this.trapTimer?.();
      this.traps = { ...current, settings: t };
      this.armTrapTimer();
      return;
    }
    this.stopTraps();
    if (!t || !key) return;
    const user = t.user ? localizeUser(t.user, this.engineId) : undefined;
    const target: TrapTarget = { version: t.version, community: Buffer.from(t.community, 'utf8'), level: t.user?.level ?? 'noAuthNoPriv', ...(user ? { user } : {}) };
    this.traps = { settings: t, target, key };
    // RFC 3418 coldStart: the notification originator (re)initialised, its configuration maybe altered
    void this.sendTrap('coldStart');
    this.armTrapTimer();
  }

  private armTrapTimer(): void {
    const t = this.traps;
    if (!t) return;
    this.trapTimer = this.ctx.clock.setTimer(t.settings.intervalMinutes * 60_000, () => {
      this.trapTimer = undefined;
      void this.sendTrap('status');
      this.armTrapTimer();
    });
  }

  private stopTraps(): void {
    this.trapTimer?.();
    this.trapTimer = undefined;
    this.traps = undefined;
  }

  private async sendTrap(kind: TrapKind): Promise<void> {
    const t = this.traps;
    if (!t || !this.socket) return;
    const dest = hostPort(t.settings.host, t.settings.port);
    try {
      const address = net.isIP(t.settings.host) ? t.settings.host : await this.lookup(t.settings.host);
      if (this.traps !== t || !this.socket) return; // reconfigured meanwhile
      const bytes = buildTrap(kind, t.target, {
        mib: this.mib,
        engine: this.engine(),
        uptimeTicks: uptimeTicks(this.uptimeMs()),
        agentAddr: net.isIPv4(this.ctx.network.address) ? Buffer.from(this.ctx.network.address.split('.').map(Number)) : Buffer.alloc(4),
        random: this.ctx.random,
      });
      this.socket.send(bytes, t.settings.port, address);
      this.trapsSent++;
      this.ctx.log.debug({ kind, destination: dest, version: t.settings.version }, 'snmp: trap sent');
    } catch (e) {
      this.trapFailures.warn({ kind, destination: dest, err: errText(e) }, 'snmp: trap not sent');
    }
  }
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createSnmpService(ctx: ServiceContext): SnmpService {
  return new SnmpService(ctx);
}
