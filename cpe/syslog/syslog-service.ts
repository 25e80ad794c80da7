/**
 * The 'syslog' service: the unit's log records, from the P208 level up, also go to the syslog
 * server of P207 over UDP or TLS (P8402) as RFC 5424 messages (syslog-records.ts), and with
 * P1387 the SIP messages both accounts send and receive too. It listens on the unit's log tap
 * (log-tap.ts); a change of any of these P-values (or of the trusted CAs) applies at once, no
 * reboot. Off (P207 empty or P208 = 0) it listens to nothing and arms nothing. Status `syslog`.
 */
import { Resolver } from 'node:dns/promises';
import { trustedCas } from '../cwmp/unit-trust';
import type { ChangeEvent } from '../params/types';
import type { Service, ServiceContext, StopReason } from '../service';
import type { LogLevel } from '../shared/log-tap';
import { SecretValues } from './redact';
import { socketConnector } from './syslog-channels';
import { encodeSyslog, type SyslogMessage } from './syslog-message';
import { nextSequenceId, recordMessage, sipMessage, truncateUtf8, type Origin } from './syslog-records';
import { syslogSettings, SYSLOG_PVALUES, TRUST_PVALUES, type SyslogProtocol, type SyslogSettings } from './syslog-settings';
import { SyslogSink, type SinkState, type SyslogConnector, type SyslogResolver } from './syslog-sink';
import { tlsVersions } from '../shared/tls-versions';

declare module '../status' {
  interface StatusMap {
    syslog: SyslogStatus;
  }
}

export interface SyslogStatus {
  /** `off` when syslog is off; else the channel's state (up, waiting after a failure, ...). */
  readonly state: SinkState;
  /** host:port as configured. */
  readonly server?: string;
  readonly protocol?: SyslogProtocol;
  readonly level?: LogLevel;
  /** P1387: SIP messages sent too. */
  readonly sip: boolean;
  readonly sent: number;
  readonly dropped: number;
  readonly queued: number;
  /** Why the channel is down, or why P207 was not used. */
  readonly lastError?: string;
}

export interface SyslogServiceOptions {
  /** Default: real UDP/TLS sockets from the unit's address. */
  readonly connect?: SyslogConnector;
  /** Default: a node:dns/promises Resolver, made the first time a name needs one. */
  readonly resolver?: SyslogResolver;
  readonly maxQueue?: number;
  readonly maxQueueBytes?: number;
}

/** RFC 5425 §4.3.1 and RFC 5426 §3.2 ask receivers to take at least 8192 / 2048 octets; rsyslog's default is 8 KiB. */
export const MAX_MESSAGE_OCTETS = 8192;

export class SyslogService implements Service {
  readonly name = 'syslog';
  private readonly sink: SyslogSink;
  private readonly secrets = new SecretValues();
  private settings: SyslogSettings = { server: undefined, level: undefined, sip: false };
  private sequenceId = 0;
  private unsubscribe: (() => void) | undefined;
  private readonly origin: Origin;

  constructor(
    private readonly ctx: ServiceContext,
    opts: SyslogServiceOptions = {},
  ) {
    this.origin = { mac: ctx.identity.mac, ip: ctx.network.address, swVersion: ctx.identity.firmwareVersion };
    let dns: Resolver | undefined;
    this.sink = new SyslogSink({
      clock: ctx.clock,
      random: ctx.random,
      log: ctx.log,
      resolver: opts.resolver ?? { resolve4: (host) => (dns ??= new Resolver({ timeout: 3000, tries: 2 })).resolve4(host) },
      connect: opts.connect ?? socketConnector(ctx.network.address),
      ...(opts.maxQueue !== undefined ? { maxQueue: opts.maxQueue } : {}),
      ...(opts.maxQueueBytes !== undefined ? { maxQueueBytes: opts.maxQueueBytes } : {}),
    });
  }

  get status(): SyslogStatus {
    const s = this.settings;
    const c = this.sink.counters;
    const error = this.sink.lastError ?? s.problem;
    return {
      state: this.sink.state,
      ...(s.server ? { server: hostPort(s.server.host, s.server.port), protocol: s.server.protocol, level: s.level } : {}),
      sip: s.sip,
      ...c,
      ...(error !== undefined ? { lastError: error } : {}),
    };
  }

  async start(): Promise<void> {
    this.ctx.status.provide('syslog', () => this.status);
    this.unsubscribe = this.ctx.store.subscribe((e) => this.onChange(e));
    this.loadSecrets();
    this.apply();
  }

  async stop(_reason: StopReason): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.ctx.logTap?.listen(undefined);
    this.ctx.logTap?.listenSip(undefined);
    this.sink.close();
    this.ctx.status.withdraw('syslog');
  }

  private onChange(e: ChangeEvent): void {
    if (e.changes.some((c) => this.ctx.store.catalogue.get(c.id)?.secret)) this.loadSecrets();
    const mine = e.changes.some((c) => SYSLOG_PVALUES.has(c.id));
    const trust = e.changes.some((c) => TRUST_PVALUES.has(c.id));
    if (!mine && !(trust && this.settings.server?.protocol === 'tls')) return;
    this.apply();
    const s = this.status;
    this.ctx.log.info({ server: s.server ?? null, protocol: s.protocol ?? null, level: s.level ?? null, sip: s.sip, source: e.source }, 'syslog settings applied');
  }

  /** Reads P207/P208/P8402/P1387 and points the sink and the tap accordingly. */
  private apply(): void {
    const s = syslogSettings((id) => this.ctx.store.get(id));
    this.settings = s;
    const tap = this.ctx.logTap;
    if (s.problem) this.ctx.log.warn({ problem: s.problem }, 'syslog: P207 not usable, syslog stays off');
    if (!s.server) {
      tap?.listen(undefined);
      tap?.listenSip(undefined);
      this.sink.configure(undefined);
      return;
    }
    const tlsOn = s.server.protocol === 'tls';
    const ca = tlsOn ? trustedCas(this.ctx.store) : undefined;
    const tlsMax = tlsOn ? tlsVersions((id) => this.ctx.store.get(id)).maxVersion : undefined;
    // the sink first: what the tap hands over from now on has somewhere to go
    this.sink.configure({ ...s.server, ...(ca ? { ca } : {}), ...(tlsMax && tlsMax !== 'TLSv1.3' ? { tlsMax } : {}) });
    tap?.listen(s.level, (r) => this.send(recordMessage(r, this.origin, this.nextId(), this.ctx.clock.now(), this.secrets)));
    tap?.listenSip(s.sip ? (w) => this.send(sipMessage(w, this.origin, this.nextId(), this.ctx.clock.now(), this.secrets)) : undefined);
  }

  private send(m: SyslogMessage): void {
    this.sink.push(truncateUtf8(encodeSyslog(m), MAX_MESSAGE_OCTETS));
  }

  private nextId(): number {
    this.sequenceId = nextSequenceId(this.sequenceId);
    return this.sequenceId;
  }

  private loadSecrets(): void {
    const store = this.ctx.store;
    this.secrets.set(store.catalogue.entries.filter((d) => d.secret).map((d) => [store.get(d.id), d.default] as const));
  }
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function createSyslogService(ctx: ServiceContext): SyslogService {
  return new SyslogService(ctx);
}
