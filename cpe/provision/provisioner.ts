/**
 * The provisioning service: at boot and on the P22296 schedule, fetch and apply the config files,
 * then check the firmware (P238 at boot). Files are applied through applyConfigFile; images through
 * installFirmware, then the unit reboots into the new slot. A config file that moves the config
 * server (P237, P212, P234, P235) is followed by a check of the new server at once, at most
 * MAX_REDIRECT_HOPS times. Checks never overlap: one asked for during a check runs after it.
 *
 * Other services reach it by `ctx.services.get<ProvisionService>('provision')`: `checkNow(trigger)`
 * (SIP NOTIFY check-sync/resync, an operator).
 */
import type { Service, ServiceContext, StopReason } from '../service';
import type { ChangeEvent, Source } from '../params/types';
import type { Cancel } from '../shared/clock';
import type { ServiceState } from '../params/service-state';
import { applyConfigFile } from './apply-config';
import { FetchError, safeUrl } from './fetch/fetcher';
import { fetchUrl as defaultFetchUrl, type FetchFn } from './fetch/fetch-url';
import { CONFIG_LIMITS, FIRMWARE_LIMITS, fetchOptionsFor } from './fetch-options';
import { installFirmware } from './firmware/install';
import { readSlots } from './firmware/slots';
import { nextCheckTime, scheduleSettings, SCHEDULE_PVALUES } from './schedule';
import {
  configFileNames,
  configServerBase,
  fileUrl,
  firmwareFileName,
  firmwareServerBase,
  redact,
  serverSettings,
  type ServerSettings,
} from './server-urls';
import type { ProvisionAttempt } from './provision-status';
import './provision-status';
import { exportEntries } from './export-config';
import { encodeXmlConfig } from './codec/xml-config';
import { TransferReports, type TransferFailureKind, type TransferListener } from './transfer-report';

/** P237 redirects followed in one check (reference §2 "redirect"). */
export const MAX_REDIRECT_HOPS = 3;
/** Legacy P194 order → P22296 order (reference §0): 0 no, 1 daily, 2 weekly, 3 every N minutes. */
const P194_TO_P22296: Readonly<Record<string, string>> = { '0': '0', '1': '2', '2': '3', '3': '1' };
const P22296_TO_P194: Readonly<Record<string, string>> = { '0': '0', '1': '3', '2': '1', '3': '2' };

export type CheckTrigger = 'boot' | 'schedule' | 'request';

/** What a web upload gets back (the shape of cpe/web/maintenance.ts MaintenanceResult). */
export interface UploadResult {
  readonly ok: boolean;
  readonly message: string;
  readonly rebootRequired?: boolean;
  readonly rebootNow?: boolean;
}

export interface ProvisionDeps {
  /** Default: the real fetchers by scheme. */
  readonly fetch?: FetchFn;
}

export class ProvisionService implements Service {
  readonly name = 'provision';
  private readonly fetch: FetchFn;
  private state: ServiceState | undefined;
  private unsubscribe: (() => void) | undefined;
  private timer: Cancel | undefined;
  private nextAt: number | undefined;
  private running: Promise<void> | undefined;
  private queued: CheckTrigger | undefined;
  private stopped = false;
  /** Aborts in-flight downloads when the service stops. */
  private abort = new AbortController();
  private lastConfig: ProvisionAttempt | undefined;
  private lastFirmware: ProvisionAttempt | undefined;
  private readonly reports = new TransferReports();

  constructor(private readonly ctx: ServiceContext, deps: ProvisionDeps = {}) {
    this.fetch = deps.fetch ?? defaultFetchUrl;
  }

  async start(): Promise<void> {
    const { ctx } = this;
    this.stopped = false;
    this.abort = new AbortController();
    this.state = ctx.store.serviceState('provision');
    this.lastConfig = this.state.getJson<ProvisionAttempt>('lastConfig');
    this.lastFirmware = this.state.getJson<ProvisionAttempt>('lastFirmware');
    this.noteFallback();
    ctx.status.provide('provision.lastConfig', () => this.lastConfig);
    ctx.status.provide('provision.lastFirmware', () => this.lastFirmware);
    ctx.status.provide('provision.nextCheck', () => this.nextAt);
    this.unsubscribe = ctx.store.subscribe((e) => this.onChange(e));
    this.arm(true);
    this.kick('boot');
  }

  async stop(_reason: StopReason): Promise<void> {
    this.stopped = true;
    this.timer?.();
    this.timer = undefined;
    this.nextAt = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.queued = undefined;
    this.abort.abort();
    await this.idle();
  }

  /** Starts a check now (or right after the running one). Resolves when it is done. */
  checkNow(trigger: CheckTrigger = 'request'): Promise<void> {
    this.kick(trigger);
    return this.idle();
  }

  /** Transfers made on the unit's own initiative (the CWMP client reports them to the ACS). */
  onTransfer(listener: TransferListener): () => void {
    return this.reports.subscribe(listener);
  }

  /** SIP NOTIFY check-sync / resync (cpe/voice/accounts/sip-service.ts). */
  provisionNow(reason: string): Promise<void> {
    this.ctx.log.info({ reason }, 'provisioning requested');
    return this.checkNow('request');
  }

  // ---- web UI hooks (cpe/web/maintenance.ts ConfigFiles & FirmwareUpload, duck-typed) ----

  /** Every writable setting as a gs_provision XML file; secrets left out unless asked. */
  exportConfigXml(withSecrets: boolean): string {
    const { entries } = exportEntries(this.ctx.store.snapshot(), this.ctx.store.catalogue, withSecrets);
    return encodeXmlConfig({ mac: this.ctx.identity.mac, entries });
  }

  /** An uploaded config file: the same path as a provisioned one, as a web batch at the admin level. */
  async importConfig(data: Buffer, filename: string): Promise<UploadResult> {
    const url = `web upload ${filename}`;
    const r = applyConfigFile(data, { store: this.ctx.store, mac: this.ctx.identity.mac, log: this.ctx.log, url, source: 'web', level: 'admin' });
    this.recordConfig({
      trigger: 'upload',
      url,
      result: r.ok ? 'applied' : 'rejected',
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      changes: r.changes.length,
      ...(r.skipped.length > 0 ? { skipped: r.skipped } : {}),
    });
    if (!r.ok) return { ok: false, message: `The file was refused: ${r.reason ?? 'unknown reason'}` };
    const skipped = r.skipped.length > 0 ? ` Skipped ${r.skipped.length} P-value(s) unknown to this firmware.` : '';
    return { ok: true, message: `Configuration file applied: ${r.changes.length} change(s).${skipped}`, rebootRequired: r.rebootRequired };
  }

  /** An uploaded firmware image: installed even if it is the running version; the web UI reboots after answering. */
  async installFirmware(data: Buffer, filename: string): Promise<UploadResult> {
    const url = `web upload ${filename}`;
    const { ctx } = this;
    const r = installFirmware(data, { dataDir: ctx.dataDir, model: ctx.identity.model, runningVersion: ctx.identity.firmwareVersion, log: ctx.log, url, force: true });
    this.recordFirmware({ trigger: 'upload', url, result: !r.ok ? 'rejected' : 'installed', ...(r.version ? { version: r.version } : {}), ...(r.reason ? { reason: r.reason } : {}) });
    if (!r.ok) return { ok: false, message: `Firmware refused (${r.failure ?? 'error'}): ${r.reason ?? 'unknown reason'}.` };
    return { ok: true, message: `Firmware ${r.version ?? ''} installed; the unit reboots into it.`, rebootNow: true };
  }

  /** Resolves when no check is running or queued (tests, the CLI). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private kick(trigger: CheckTrigger): void {
    if (this.stopped) return;
    if (this.running) {
      this.queued ??= trigger;
      return;
    }
    this.running = this.check(trigger)
      .catch((e: unknown) => this.ctx.log.error({ err: e instanceof Error ? e.message : String(e) }, 'provisioning check failed'))
      .finally(() => {
        this.running = undefined;
        const next = this.queued;
        this.queued = undefined;
        if (next) this.kick(next);
      });
  }

  // ---- schedule ----

  private arm(first: boolean): void {
    this.timer?.();
    this.timer = undefined;
    this.nextAt = undefined;
    if (this.stopped) return;
    const now = this.ctx.clock.now();
    const at = nextCheckTime(now, scheduleSettings((id) => this.ctx.store.get(id)), this.ctx.random.float(), first);
    if (at === undefined) return;
    this.nextAt = at;
    this.timer = this.ctx.clock.setTimer(at - now, () => {
      this.timer = undefined;
      this.kick('schedule');
      this.arm(false);
    });
  }

  private onChange(e: ChangeEvent): void {
    const ids = new Set(e.changes.map((c) => c.id));
    if (e.source !== 'factory') this.syncLegacyAutoUpgrade(ids, e.source);
    if ([...ids].some((id) => SCHEDULE_PVALUES.has(id))) {
      this.arm(true);
      this.ctx.log.info({ nextCheck: this.nextAt === undefined ? null : new Date(this.nextAt).toISOString() }, 'automatic check rescheduled');
    }
  }

  /**
   * Keeps P194 (legacy order) and P22296 consistent, whichever a writer set (reference §0). The
   * mirror write carries the writer's source, so an ACS's own change raises no VALUE CHANGE.
   */
  private syncLegacyAutoUpgrade(ids: ReadonlySet<number>, source: Source): void {
    const store = this.ctx.store;
    let batch: Array<[number, string]> | undefined;
    if (ids.has(22296)) batch = [[194, P22296_TO_P194[store.get(22296)] ?? '0']];
    else if (ids.has(194)) batch = [[22296, P194_TO_P22296[store.get(194)] ?? '0']];
    if (!batch) return;
    const b = batch;
    queueMicrotask(() => {
      if (!this.stopped) store.apply(b, source, { level: 'admin' });
    });
  }

  // ---- one check ----

  private async check(trigger: CheckTrigger): Promise<void> {
    const started = await this.provisionConfig(trigger);
    if (this.stopped || !started) return;
    if (this.firmwareDue(trigger)) await this.checkFirmware(trigger);
  }

  private settings(): ServerSettings {
    return serverSettings((id) => this.ctx.store.get(id), this.ctx.network.dhcpOptions);
  }

  /**
   * Fetches the config files in order: the binary cfg<mac> is applied when present (it may set
   * P1359 or move the server, reference §2), then the first XML (cfg<mac>.xml, else cfg.xml) that
   * downloads and applies. Returns false when the service stopped meanwhile.
   */
  private async provisionConfig(trigger: CheckTrigger): Promise<boolean> {
    for (let hop = 0; hop <= MAX_REDIRECT_HOPS; hop++) {
      const why = hop === 0 ? trigger : 'redirect';
      const s = this.settings();
      let base: URL | undefined;
      try {
        base = configServerBase(s);
      } catch (e) {
        this.recordConfig({ trigger: why, url: redact(s.configServer), result: 'no-server', reason: (e as Error).message });
        return true;
      }
      if (!base) {
        this.recordConfig({ trigger: why, url: '', result: 'no-server', reason: 'no config server path (P237) set' });
        return true;
      }
      const before = this.serverKey(s);
      const attempts: Array<Omit<ProvisionAttempt, 'time'>> = [];
      for (const file of configFileNames(s, this.ctx.identity.mac)) {
        const url = fileUrl(base, file.name);
        const start = this.ctx.clock.now();
        const bytes = await this.download(url, CONFIG_LIMITS, 'config', (a) => attempts.push({ ...a, trigger: why }));
        if (this.stopped) return false;
        if (bytes === 'down') break;
        if (bytes === 'missing') continue;
        const r = applyConfigFile(bytes, { store: this.ctx.store, mac: this.ctx.identity.mac, log: this.ctx.log, url: safeUrl(url) });
        this.report('config', url, start, bytes.length, r.ok ? undefined : { kind: 'config-rejected', message: r.reason ?? 'config file rejected' });
        attempts.push({
          trigger: why,
          url: safeUrl(url),
          result: r.ok ? 'applied' : 'rejected',
          ...(r.reason !== undefined ? { reason: r.reason } : {}),
          changes: r.changes.length,
          ...(r.skipped.length > 0 ? { skipped: r.skipped } : {}),
        });
        if (r.ok && (file.kind !== 'binary' || this.serverKey(this.settings()) !== before)) break;
      }
      this.recordConfig(summary(attempts));
      if (this.serverKey(this.settings()) === before) return true;
      if (hop === MAX_REDIRECT_HOPS) {
        this.ctx.log.warn({ hops: MAX_REDIRECT_HOPS }, 'config server redirected too many times; the next check follows the latest server');
        return true;
      }
      this.ctx.log.info({ from: safeBase(s), to: safeBase(this.settings()) }, 'config server changed by the file: provisioning again from the new server');
    }
    return true;
  }

  /** Where the config files are fetched from: a file that changes this redirects (reference §2). */
  private serverKey(s: ServerSettings): string {
    let base: string;
    try {
      base = configServerBase(s)?.href ?? '';
    } catch {
      base = `invalid:${s.configServer}`;
    }
    return JSON.stringify([base, s.configPrefix, s.configPostfix]);
  }

  /**
   * One download. Returns the bytes, 'missing' (not found: try the next file name), or 'down'
   * (the server failed us: timeout, refused, auth, TLS; stop asking it until the next check).
   */
  private async download(
    url: URL,
    limits: { timeoutMs: number; maxBytes: number },
    file: 'config' | 'firmware',
    record: (a: Omit<ProvisionAttempt, 'time' | 'trigger'>) => void,
  ): Promise<Buffer | 'missing' | 'down'> {
    const start = this.ctx.clock.now();
    try {
      return await this.fetch(url, { ...fetchOptionsFor(this.ctx, url, limits), signal: this.abort.signal });
    } catch (e) {
      const fe = e instanceof FetchError ? e : undefined;
      const reason = fe ? `${fe.kind}: ${fe.message}` : e instanceof Error ? e.message : String(e);
      if (!this.stopped) {
        // A missing optional file (cfg<mac>, cfg.xml) is routine; a failing server is not.
        const fields = { url: safeUrl(url), kind: fe?.kind, reason };
        if (fe?.kind === 'not-found') this.ctx.log.info(fields, 'file not on the server');
        else this.ctx.log.warn(fields, 'download failed');
        record({ url: safeUrl(url), result: 'fetch-failed', reason });
        // A file the server does not have is a probe, not a transfer (config names are tried in turn).
        if (fe?.kind !== 'not-found' || file === 'firmware') this.report(file, url, start, 0, { kind: fe?.kind ?? 'io', message: reason });
      }
      return fe?.kind === 'not-found' ? 'missing' : 'down';
    }
  }

  // ---- firmware ----

  /** P238 at boot: 0 always, 1 only when the firmware prefix/postfix changed since the last check, 2 never. Scheduled checks always look. */
  private firmwareDue(trigger: CheckTrigger): boolean {
    if (trigger !== 'boot') return true;
    const p238 = this.ctx.store.get(238);
    if (p238 === '2') return false;
    if (p238 === '1') return this.state?.get('firmwareAffixes') !== this.affixes();
    return true;
  }

  private affixes(): string {
    return JSON.stringify([this.ctx.store.get(232), this.ctx.store.get(233)]);
  }

  private async checkFirmware(trigger: CheckTrigger): Promise<void> {
    const { ctx } = this;
    const s = this.settings();
    let base: URL | undefined;
    try {
      base = firmwareServerBase(s);
    } catch (e) {
      this.recordFirmware({ trigger, url: redact(s.firmwareServer), result: 'no-server', reason: (e as Error).message });
      return;
    }
    if (!base) {
      this.recordFirmware({ trigger, url: '', result: 'no-server', reason: 'no firmware server path (P192) set' });
      return;
    }
    this.state?.set('firmwareAffixes', this.affixes());
    const url = fileUrl(base, firmwareFileName(s, ctx.identity.model));
    const start = ctx.clock.now();
    const bytes = await this.download(url, FIRMWARE_LIMITS, 'firmware', (a) => this.recordFirmware({ ...a, trigger }));
    if (this.stopped || !Buffer.isBuffer(bytes)) return;
    const r = installFirmware(bytes, {
      dataDir: ctx.dataDir,
      model: ctx.identity.model,
      runningVersion: ctx.identity.firmwareVersion,
      log: ctx.log,
      url: safeUrl(url),
    });
    // Reported before the reboot below: the CWMP client persists it and sends it once up again.
    this.report('firmware', url, start, bytes.length, r.ok ? undefined : { kind: r.failure ?? 'io', message: r.reason ?? 'firmware rejected' });
    const result = !r.ok ? 'rejected' : r.installed ? 'installed' : 'up-to-date';
    this.recordFirmware({ trigger, url: safeUrl(url), result, ...(r.version ? { version: r.version } : {}), ...(r.reason ? { reason: r.reason } : {}) });
    if (r.installed) {
      // Not awaited: the device stops this service as part of the reboot.
      void ctx.device.reboot(`firmware upgrade ${ctx.identity.firmwareVersion} → ${r.version}`).catch((e: unknown) =>
        ctx.log.error({ err: e instanceof Error ? e.message : String(e) }, 'reboot after firmware upgrade failed'),
      );
    }
  }

  /** Reports a fallback the slots made before this boot (the new firmware failed to boot). */
  private noteFallback(): void {
    const fb = readSlots(this.ctx.dataDir).lastFallback;
    if (!fb || (this.lastFirmware && this.lastFirmware.time >= fb.time)) return;
    this.lastFirmware = {
      time: fb.time,
      trigger: 'boot',
      url: this.lastFirmware?.url ?? '',
      result: 'fallback',
      reason: `${fb.reason}; back to ${fb.to ?? 'the built-in firmware'}`,
      ...(fb.from ? { version: fb.from } : {}),
    };
    this.state?.setJson('lastFirmware', this.lastFirmware);
    this.ctx.log.error({ from: fb.from, to: fb.to, reason: fb.reason }, 'firmware fell back to the previous slot');
  }

  private report(file: 'config' | 'firmware', url: URL, start: number, size: number, failure?: { kind: TransferFailureKind; message: string }): void {
    const href = safeUrl(url);
    this.reports.emit(
      {
        isDownload: true,
        file,
        url: href,
        fileName: url.pathname.slice(url.pathname.lastIndexOf('/') + 1),
        size,
        startTime: start,
        completeTime: this.ctx.clock.now(),
        ...(failure ? { failure } : {}),
      },
      (e) => this.ctx.log.error({ err: e instanceof Error ? e.message : String(e) }, 'transfer listener failed'),
    );
  }

  private recordConfig(a: Omit<ProvisionAttempt, 'time'>): void {
    if (this.stopped) return;
    this.lastConfig = { time: this.ctx.clock.now(), ...a };
    this.state?.setJson('lastConfig', this.lastConfig);
    this.ctx.log.info({ attempt: this.lastConfig }, 'provisioning attempt');
  }

  private recordFirmware(a: Omit<ProvisionAttempt, 'time'>): void {
    if (this.stopped) return;
    this.lastFirmware = { time: this.ctx.clock.now(), ...a };
    this.state?.setJson('lastFirmware', this.lastFirmware);
    this.ctx.log.info({ attempt: this.lastFirmware }, 'firmware attempt');
  }
}

/** The config server as logged: no `user:password@`. */
function safeBase(s: ServerSettings): string {
  try {
    const b = configServerBase(s);
    return b ? safeUrl(b) : '';
  } catch {
    return 'invalid server path';
  }
}

/** What one pass over the config files comes to: the last file applied, else the last rejected, else the last failure. */
function summary(attempts: ReadonlyArray<Omit<ProvisionAttempt, 'time'>>): Omit<ProvisionAttempt, 'time'> {
  for (const result of ['applied', 'rejected', 'fetch-failed'] as const) {
    const hit = [...attempts].reverse().find((a) => a.result === result);
    if (hit) return hit;
  }
  return { trigger: 'boot', url: '', result: 'fetch-failed', reason: 'nothing tried' };
}

export function createProvisionService(ctx: ServiceContext): ProvisionService {
  return new ProvisionService(ctx);
}
