/**
 * The CWMP client of one unit (TR-069): owns the data model view, the persisted event queue,
 * notification attributes, the transfer queue, the schedules (periodic, heartbeat, scheduled
 * informs), the connection request server and the session loop with its retry policy.
 */
import { buildHt813Model, MS_STATE, storeReader, type DataModel, type TreeContext } from '../datamodel';
import type { ChangeEvent } from '../params/types';
import type { Service, ServiceContext, StopReason } from '../service';
import { CachedState } from './cached-state';
import { AutonomousTransfers } from './autonomous-transfers';
import { DownloadRequests, downloadRequestProblem, type DownloadRequestEntry } from './download-requests';
import { PendingKicks, type KickArgs, type KickOutcome } from './kicks';
import { ownRequests } from './own-requests';
import type { TransferReport } from '../provision/transfer-report';
import { NotificationAttributes, safeJson } from './attributes';
import { ConnectionRequests } from './connection-requests';
import { EV, EventQueue, sortEvents } from './events';
import { HttpAcsTransport, type AcsTransport, type HttpAcsOptions } from './http/acs-transport';
import { acsUrlFrom, buildInform } from './inform';
import { sessionRetryWaitMs } from './retry';
import type { AfterSession, RpcContext } from './rpc/context';
import { InformSchedules, NamedTimers } from './schedules';
import { CwmpSession, type SessionResult } from './session';
import type { CwmpVersion } from './soap/types';
import { trustedCas, unitDownloader, unitUserAgent } from './unit-trust';
import { unitTransferBackend, type Downloader } from './transfer-backend';
import { TransferQueue, type TransferBackend } from './transfers';
import { tlsVersions } from '../shared/tls-versions';

export interface CwmpOptions {
  /** Replaces the unit's own transfer backend (tests, or a fleet sharing a fake). */
  readonly backend?: TransferBackend;
  /** Firmware / config-file downloads (the provisioning code). */
  readonly downloader?: Downloader;
  /** Replaces the HTTP(S) transport (in-memory tests). */
  readonly transport?: (o: HttpAcsOptions) => AcsTransport;
  /** Extra PEM CAs trusted for the ACS (on top of P2386/P2486 per P8502). */
  readonly ca?: readonly string[];
  /** Operator switch: false turns HTTPS verification off. Default on. */
  readonly verifyTls?: boolean;
  readonly sessionTimeoutMs?: number;
  readonly connectionRequestMinIntervalMs?: number;
  /** Namespace of the first Inform (default cwmp-1-0, which every ACS accepts). */
  readonly version?: CwmpVersion;
  /** Start the connection request server (default true). */
  readonly connectionRequests?: boolean;
}

/** Active notifications open at most one session per this interval (TR-069 A.3.2.4 allows throttling). */
export const ACTIVE_NOTIFY_MIN_INTERVAL_MS = 5_000;

export class CwmpService implements Service {
  readonly name = 'cwmp';
  private state!: CachedState;
  private dm!: DataModel;
  private events!: EventQueue;
  private attributes!: NotificationAttributes;
  private transfers!: TransferQueue;
  private autonomous!: AutonomousTransfers;
  private downloadRequests!: DownloadRequests;
  private kicks!: PendingKicks;
  private unsubscribeTransfers: (() => void) | undefined;
  private cr!: ConnectionRequests;
  private lastUdpNotify = -Infinity;
  private unsubscribe: (() => void) | undefined;
  private unguard: (() => void) | undefined;
  private timers!: NamedTimers;
  private schedules!: InformSchedules;
  private running = false;
  private again = false;
  private stopped = true;
  private transport: AcsTransport | undefined;
  private lastActiveSession = -Infinity;
  private sessionDone: Promise<void> = Promise.resolve();
  /** Sessions run since start (for tests and the bench). */
  sessions = 0;
  lastResult: SessionResult | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly opts: CwmpOptions = {},
  ) {}

  get model(): DataModel {
    return this.dm;
  }

  // ---- lifecycle ----

  async start(): Promise<void> {
    const { store, clock } = this.ctx;
    this.stopped = false;
    this.state = new CachedState(store.serviceState('cwmp'));
    this.dm = buildHt813Model(storeReader(store), new CachedState(store.serviceState('datamodel')), this.treeContext());
    if (this.dm.missing.length > 0) this.ctx.log.warn({ missing: this.dm.missing }, 'data model parameters without a P-value left out');
    this.events = new EventQueue(this.state);
    this.attributes = new NotificationAttributes(this.state, this.dm);
    this.autonomous = new AutonomousTransfers(this.state, this.dm);
    this.downloadRequests = new DownloadRequests(this.state);
    this.kicks = new PendingKicks(clock);
    // Transfers the provisioner makes on its own (boot, schedule): AutonomousTransferComplete.
    const provision = this.ctx.services.get<Service & { onTransfer?(l: (r: TransferReport) => void): () => void }>('provision');
    this.unsubscribeTransfers = provision?.onTransfer?.((r) => this.autonomousTransfer(r));
    const backend =
      this.opts.backend ??
      unitTransferBackend({
        store,
        mac: this.ctx.identity.mac,
        random: this.ctx.random,
        ca: this.trustedCas(),
        ...(this.opts.verifyTls !== undefined ? { verify: this.opts.verifyTls } : {}),
        downloader: this.opts.downloader ?? this.provisionDownloader(),
      });
    this.transfers = new TransferQueue({
      state: this.state,
      clock,
      log: this.ctx.log,
      backend,
      addEvent: (code, key) => this.events.add(code, key),
      onComplete: (_r, rebootRequired) => {
        if (rebootRequired) this.rebootWhenIdle('firmware installed');
        else this.requestSession();
      },
    });
    this.timers = new NamedTimers(clock);
    this.schedules = new InformSchedules({
      store,
      dm: this.dm,
      state: this.state,
      clock,
      timers: this.timers,
      raise: (code, key) => this.events.add(code, key),
      requestSession: () => this.requestSession(),
    });
    this.events.boot();
    this.checkBootstrap();
    this.unsubscribe = store.subscribe((e) => this.onChange(e));
    // A.3.2.4: a parameter whose AccessList lacks "Subscriber" is the ACS's alone to change
    this.unguard = store.addWriteGuard((id, source) => {
      if (source !== 'web' && source !== 'ivr') return undefined;
      const path = this.attributes.lockedPValues().get(id);
      return path === undefined ? undefined : `locked by the service provider (TR-069 AccessList of ${path})`;
    });
    this.schedules.periodic();
    this.schedules.heartbeat();
    this.schedules.restore();
    this.cr = new ConnectionRequests({
      ctx: this.ctx,
      enabled: () => this.enabled(),
      onRequest: () => {
        this.events.add(EV.CONNECTION_REQUEST);
        this.requestSession();
      },
      onUdpAddressChange: () => this.udpAddressChanged(),
      ...(this.opts.connectionRequestMinIntervalMs !== undefined ? { minIntervalMs: this.opts.connectionRequestMinIntervalMs } : {}),
    });
    if (this.opts.connectionRequests !== false) await this.cr.start();
    this.transfers.start();
    this.requestSession();
  }

  async stop(_reason: StopReason): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unguard?.();
    this.unsubscribeTransfers?.();
    this.kicks?.clear();
    this.timers?.clearAll();
    this.transfers?.stop();
    this.transport?.close();
    await this.cr?.stop();
    await this.sessionDone.catch(() => undefined);
  }

  /** Resolves when the session in progress (if any) has ended. */
  idle(): Promise<void> {
    return this.sessionDone;
  }

  private treeContext(): TreeContext {
    const c = this.ctx;
    return {
      identity: c.identity,
      now: () => c.clock.now(),
      bootTime: () => c.device.bootTime(),
      address: c.network.address,
      acsUrl: () => this.acsUrl(),
      connectionRequestUrl: () => this.connectionRequestUrl(),
      udpConnectionRequestAddress: () => this.cr.udpAddress,
      kickUrl: () => {
        const urls = (c.status as unknown as { get(k: string): unknown }).get('web.urls');
        return Array.isArray(urls) && typeof urls[0] === 'string' ? `${urls[0]}kick` : '';
      },
      status: c.status as unknown as TreeContext['status'],
    };
  }

  acsUrl(): string {
    return acsUrlFrom(this.ctx.store.get(4503), this.ctx.network.dhcpOptions.get(43));
  }

  private enabled(): boolean {
    return this.ctx.store.get(1409) === '1' && this.acsUrl() !== '';
  }

  connectionRequestUrl(): string {
    return this.cr.url();
  }

  private userAgent(): string {
    return unitUserAgent(this.ctx.identity);
  }

  private provisionDownloader(): Downloader {
    return unitDownloader(this.ctx, this.opts.ca, this.opts.verifyTls);
  }

  private trustedCas(): string[] | undefined {
    return trustedCas(this.ctx.store, this.opts.ca);
  }

  // ---- events ----

  /** 0 BOOTSTRAP on first contact and whenever the ACS URL differs from the one last bootstrapped. */
  private checkBootstrap(): void {
    const url = this.acsUrl();
    if (url === '') return;
    if (this.state.get('bootstrapUrl') !== url) {
      this.events.bootstrap();
      this.state.set('bootstrapUrl', url);
      this.state.set('retryCount', '0');
    }
  }

  private onChange(e: ChangeEvent): void {
    if (this.stopped) return;
    const ids = new Set(e.changes.map((c) => c.id));
    if (ids.has(4503) || ids.has(1409)) {
      // A new ACS is contacted at once, not after the old one's retry backoff.
      if (ids.has(4503)) this.timers.clear('retry');
      this.checkBootstrap();
      this.requestSession();
    }
    if (ids.has(4506) || ids.has(4507) || ids.has(4508)) this.schedules.periodic();
    if (ids.has(4518) || ids.has(1409) || (ids.has(4503) && !this.cr.running) || [8205, 8209, 4520, 8201, 8202].some((id) => ids.has(id))) {
      if (this.opts.connectionRequests !== false) void this.cr.restart().catch((e: unknown) => this.logError('connection request restart', e));
    }
    // Changes the ACS made itself raise no VALUE CHANGE (TR-069 A.3.2.4).
    if (e.source === 'cwmp') return;
    let active = false;
    const changed = new Set(safeJson<string[]>(this.state.get('valueChanged'), []));
    for (const c of e.changes) {
      for (const [path, n] of this.attributes.notifiedFor(c.id)) {
        changed.add(path);
        if (n === 2) active = true;
      }
    }
    if (changed.size === 0) return;
    this.state.set('valueChanged', JSON.stringify([...changed]));
    this.events.add(EV.VALUE_CHANGE);
    if (active) this.activeNotification();
  }

  private activeNotification(): void {
    const throttle = Math.max(ACTIVE_NOTIFY_MIN_INTERVAL_MS, Number(this.dm.stateValue(MS_STATE.defaultActiveNotificationThrottle.key, '0')) * 1000);
    const wait = this.lastActiveSession + throttle - this.ctx.clock.now();
    if (wait <= 0) {
      this.lastActiveSession = this.ctx.clock.now();
      this.requestSession();
    } else if (!this.timers.has('active')) {
      this.timers.set('active', wait, () => this.activeNotification());
    }
  }

  // ---- requests of the unit's own ----

  /** A.4.2.3: queued per AutonomousTransferCompletePolicy, persisted, then reported in a session. */
  private autonomousTransfer(r: TransferReport): void {
    if (this.stopped || !this.autonomous.record(r)) return;
    this.events.add(EV.AUTONOMOUS_TRANSFER_COMPLETE);
    this.requestSession();
  }

  /**
   * A browser hit the KickURL (A.4.2.4): resolves with the ACS's NextURL, or undefined when the
   * kick could not be delivered (CWMP off, ACS unreachable or refusing it, no session in time).
   * Rejects with a message when the arguments are wrong or too many kicks wait.
   */
  kick(a: KickArgs): Promise<KickOutcome> {
    if (this.stopped || !this.enabled()) return Promise.resolve(undefined);
    const p = this.kicks.add(a);
    if (!p) return Promise.reject(new Error('too many kicks are waiting; try again shortly'));
    this.requestSession();
    return p;
  }

  /** A.4.2.2: asks the ACS for a Download of this file type in the next session. */
  requestDownload(r: DownloadRequestEntry): void {
    const problem = downloadRequestProblem(r);
    if (problem) throw new Error(`RequestDownload refused: ${problem}`);
    this.downloadRequests.add(r);
    this.events.add(EV.REQUEST_DOWNLOAD);
    this.requestSession();
  }

  // ---- connection requests ----

  /** UDPConnectionRequestAddress moved: notify per its attribute, at most once per P8200 seconds (TR-111 §2.2.1). */
  private udpAddressChanged(): void {
    const path = 'Device.ManagementServer.UDPConnectionRequestAddress';
    const n = this.attributes.notification(path);
    if (n === 0) return;
    const changed = new Set(safeJson<string[]>(this.state.get('valueChanged'), []));
    changed.add(path);
    this.state.set('valueChanged', JSON.stringify([...changed]));
    this.events.add(EV.VALUE_CHANGE);
    if (n !== 2) return;
    const limit = Number(this.ctx.store.get(8200)) * 1000;
    const wait = this.lastUdpNotify + limit - this.ctx.clock.now();
    if (wait <= 0) {
      this.lastUdpNotify = this.ctx.clock.now();
      this.requestSession();
    } else {
      this.timers.set('udp-notify', wait, () => this.udpAddressChanged());
    }
  }

  // ---- sessions ----

  /** Opens a session now, or right after the one in progress; waits out a retry backoff. */
  requestSession(): void {
    if (this.stopped || !this.enabled()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timers.has('retry')) return;
    this.running = true;
    this.sessionDone = new Promise<void>((resolve) =>
      queueMicrotask(() => {
        void this.runSession()
          .catch((e: unknown) => {
            // e.g. the store closed under a reboot: logged, never an unhandled rejection.
            this.running = false;
            this.logError('cwmp session', e);
          })
          .finally(resolve);
      }),
    );
  }

  private async runSession(): Promise<void> {
    this.again = false;
    const clock = this.ctx.clock;
    const url = this.acsUrl();
    const retryCount = Number(this.state.get('retryCount') ?? '0');
    const kicks = this.kicks.snapshot();
    // 5 KICKED and 9 REQUEST DOWNLOAD say why this session opens: present exactly when there is a reason.
    if (kicks.length > 0) this.events.add(EV.KICKED);
    else this.events.drop(EV.KICKED);
    if (this.downloadRequests.pending().length > 0) this.events.add(EV.REQUEST_DOWNLOAD);
    else this.events.drop(EV.REQUEST_DOWNLOAD);
    const sent = [...this.events.pending()];
    const changed = [...new Set([...safeJson<string[]>(this.state.get('valueChanged'), []), ...this.attributes.changedLive()])];
    if (changed.length > 0 && !sent.some((e) => e.code === EV.VALUE_CHANGE)) sent.push({ code: EV.VALUE_CHANGE, commandKey: '' });
    const inform = buildInform(this.dm, this.ctx.identity, sortEvents(sent), changed, retryCount, clock.now());
    const after: AfterSession[] = [];
    const cas = this.trustedCas();
    const transportOpts: HttpAcsOptions = {
      url,
      username: this.ctx.store.get(4504),
      password: this.ctx.store.get(4505),
      random: this.ctx.random,
      userAgent: this.userAgent(),
      ...(cas ? { ca: cas } : {}),
      ...(this.ctx.store.get(8220) ? { cert: this.ctx.store.get(8220) } : {}),
      ...(this.ctx.store.get(8221) ? { key: this.ctx.store.get(8221) } : {}),
      ...(this.opts.verifyTls === false ? { verify: false } : {}),
      tlsVersions: tlsVersions((id) => this.ctx.store.get(id)),
      // A fleet on distinct loopback addresses sends from its own; the default address needs no bind()
      // (binding before connect makes the kernel search ports past TIME_WAIT, costly at fleet scale).
      ...(['0.0.0.0', '::', '127.0.0.1'].includes(this.ctx.network.address) ? {} : { localAddress: this.ctx.network.address }),
    };
    let result: SessionResult;
    try {
      const transport = this.opts.transport ? this.opts.transport(transportOpts) : new HttpAcsTransport(transportOpts);
      this.transport = transport;
      const own = ownRequests(
        { state: this.state, acsUrl: url, log: this.ctx.log, transfers: this.transfers, events: this.events, autonomous: this.autonomous, downloadRequests: this.downloadRequests },
        kicks,
      );
      const rpc: RpcContext = {
        dm: this.dm,
        store: this.ctx.store,
        attributes: this.attributes,
        transfers: this.transfers,
        now: () => clock.now(),
        scheduleInform: (d, k) => this.schedules.scheduleInform(d, k),
        after: (a) => after.push(a),
      };
      const session = new CwmpSession({
        transport,
        clock,
        random: this.ctx.random,
        log: this.ctx.log,
        inform,
        ownRequests: own,
        rpc,
        ...(this.opts.version ? { version: this.opts.version } : {}),
        ...(this.opts.sessionTimeoutMs ? { timeoutMs: this.opts.sessionTimeoutMs } : {}),
        onInformAcked: () => {
          this.events.delivered(sent);
          if (changed.length > 0) {
            const still = safeJson<string[]>(this.state.get('valueChanged'), []).filter((p) => !changed.includes(p));
            this.state.set('valueChanged', JSON.stringify(still));
          }
        },
      });
      result = await session.run();
    } catch (e) {
      result = { ok: false, reason: e instanceof Error ? e.message : String(e), informAcked: false };
    }
    this.transport = undefined;
    // Browsers whose kick this session did not deliver go to their Next URL.
    for (const k of kicks) k.settle(undefined);
    this.sessions++;
    this.lastResult = result;
    // debug, not info: a fleet informing thousands of times a second would spend more on log lines than on sessions.
    if (result.ok) this.ctx.log.debug({ events: inform.event.map((e) => e.code), exchanges: result.exchanges }, 'cwmp session done');
    this.running = false;
    if (this.stopped) return;
    if (result.ok) {
      if (retryCount !== 0) this.state.set('retryCount', '0');
      this.schedules.heartbeat();
      for (const a of after) {
        if (a.kind === 'reboot') {
          this.events.add(EV.M_REBOOT, a.commandKey);
          void this.ctx.device.reboot('TR-069 Reboot').catch((e: unknown) => this.ctx.log.error({ err: String(e) }, 'reboot failed'));
          return;
        }
        if (a.kind === 'factory-reset') {
          void this.ctx.device.factoryReset('full', 'TR-069 FactoryReset').catch((e: unknown) => this.ctx.log.error({ err: String(e) }, 'factory reset failed'));
          return;
        }
      }
      if (this.pendingReboot) return this.rebootWhenIdle(this.pendingReboot);
      if (this.again) this.requestSession();
      return;
    }
    // A firmware image installed meanwhile is run whatever became of the session.
    if (this.pendingReboot) return this.rebootWhenIdle(this.pendingReboot);
    // TR-069 §3.2.1.1
    const n = retryCount + 1;
    this.state.set('retryCount', String(n));
    const m = Number(this.dm.stateValue(MS_STATE.retryMinimumWaitInterval.key, MS_STATE.retryMinimumWaitInterval.dflt));
    const k = Number(this.dm.stateValue(MS_STATE.retryIntervalMultiplier.key, MS_STATE.retryIntervalMultiplier.dflt));
    const wait = result.retryAfterSec !== undefined ? result.retryAfterSec * 1000 : sessionRetryWaitMs(n, this.ctx.random, m, k);
    this.ctx.log.info({ retryCount: n, waitMs: wait }, 'cwmp session retry scheduled');
    this.timers.set('retry', wait, () => this.requestSession());
  }

  private pendingReboot: string | undefined;

  private logError(what: string, e: unknown): void {
    this.ctx.log.error({ err: e instanceof Error ? e.message : String(e) }, `${what} failed`);
  }

  /** A firmware install wants a reboot: after the session in progress, if any. */
  private rebootWhenIdle(reason: string): void {
    if (this.running) {
      this.pendingReboot = reason;
      return;
    }
    this.pendingReboot = undefined;
    void this.ctx.device.reboot(reason).catch((e: unknown) => this.ctx.log.error({ err: String(e) }, 'reboot failed'));
  }
}
