/**
 * One unit: identity, the parameter store, and the services composed around it, with the
 * lifecycle boot → up → (reboot | factory reset | shutdown). No logic of its own beyond that
 * (ARCHITECTURE.md, cpe/device.ts row). Many Devices may live in one process.
 */
import path from 'node:path';
import { SystemClock, type Clock } from './shared/clock';
import { CryptoRandom, type Random } from './shared/random';
import { createUnitLogger, type Logger } from './shared/logger';
import { LogTap, TapLogger } from './shared/log-tap';
import { ParamStore } from './params/store';
import type { ResetType } from './params/types';
import { StatusBoard } from './status';
import { defaultServices } from './services';
import { BUILTIN_FIRMWARE_VERSION, loadIdentityFile, makeIdentity, writeIdentityFile, type IdentityFile } from './identity';
import { syncIdentityParams } from './identity-params';
import { firmwareSlots } from './firmware-slots';
import type {
  DeviceControl,
  DeviceIdentity,
  NetworkFacts,
  PortOverrides,
  Service,
  ServiceSpec,
  StopReason,
} from './service';

/** Firmware slots, provided by the provisioning subsystem: which version is active, and confirming a trial boot. */
export interface FirmwareSlots {
  /** The version of the active slot, or undefined when the built-in firmware runs. */
  activeVersion(dataDir: string): string | undefined;
  /** Called once the unit is up: a trial slot becomes the confirmed one. */
  confirmBoot(dataDir: string): void;
  /** Called before boot: if the last trial boot never confirmed, fall back to the previous slot. */
  recoverBoot?(dataDir: string): void;
}

export interface DeviceOptions {
  /** The unit's folder (default ./data). */
  readonly dataDir: string;
  /** WAN MAC; generated in OUI 000B82 and stored on first boot when absent. */
  readonly mac?: string;
  readonly network?: Partial<NetworkFacts>;
  readonly ports?: PortOverrides;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Root logger; default one JSON line per record on stdout, bound to the MAC. */
  readonly log?: Logger;
  readonly services?: readonly ServiceSpec[];
  readonly durability?: 'full' | 'normal';
  /** Default: the provisioning subsystem's A/B slots in the data folder. */
  readonly firmware?: FirmwareSlots;
}

export type DeviceState = 'off' | 'booting' | 'up' | 'stopping';

const ALLOWED: Readonly<Record<DeviceState, readonly DeviceState[]>> = {
  off: ['booting'],
  booting: ['up', 'stopping'],
  up: ['stopping'],
  stopping: ['off'],
};

export class Device implements DeviceControl {
  readonly dataDir: string;
  readonly clock: Clock;
  readonly random: Random;
  readonly status = new StatusBoard();
  readonly network: NetworkFacts;
  readonly ports: PortOverrides;
  private idFile: IdentityFile;
  private ident: DeviceIdentity;
  /** Every record of the unit passes here (remote syslog listens); one per unit. */
  private readonly logTap = new LogTap();
  private readonly rootLog: Logger;
  private readonly log: Logger;
  private readonly factories: readonly ServiceSpec[];
  private readonly firmware: FirmwareSlots;
  private current: ParamStore | undefined;
  private running: Service[] = [];
  private st: DeviceState = 'off';
  private booted = 0;
  private lifecycle: Promise<void> = Promise.resolve();

  constructor(private readonly opts: DeviceOptions) {
    this.dataDir = path.resolve(opts.dataDir);
    this.firmware = opts.firmware ?? firmwareSlots();
    this.clock = opts.clock ?? new SystemClock();
    this.random = opts.random ?? new CryptoRandom();
    this.idFile = loadIdentityFile(this.dataDir, opts.mac, this.random, this.clock.now());
    this.ident = makeIdentity(this.idFile.mac, this.firmwareVersion());
    this.rootLog = new TapLogger(opts.log ?? createUnitLogger(this.idFile.mac), this.logTap);
    this.log = this.rootLog.child({ subsystem: 'device' });
    this.network = {
      address: opts.network?.address ?? '127.0.0.1',
      gateway: opts.network?.gateway,
      dhcpOptions: opts.network?.dhcpOptions ?? new Map(),
      ...(opts.network?.pnpTarget !== undefined ? { pnpTarget: opts.network.pnpTarget } : {}),
    };
    this.ports = opts.ports ?? {};
    this.factories = opts.services ?? defaultServices();
    this.provideDeviceStatus();
  }

  private provideDeviceStatus(): void {
    this.status.provide('device.uptime', () => Math.floor((this.clock.now() - this.booted) / 1000));
    this.status.provide('device.bootCount', () => this.idFile.bootCount);
    this.status.provide('device.state', () => this.st);
  }

  get identity(): DeviceIdentity {
    return this.ident;
  }

  get state(): DeviceState {
    return this.st;
  }

  /** The open store; throws when the unit is off. */
  get store(): ParamStore {
    if (!this.current) throw new Error('the unit is not running');
    return this.current;
  }

  /** A started service by name (tests, the CLI, fleet tools). */
  service<T extends Service>(name: string): T | undefined {
    return this.running.find((s) => s.name === name) as T | undefined;
  }

  bootTime(): number {
    return this.booted;
  }

  bootCount(): number {
    return this.idFile.bootCount;
  }

  /** Opens the store, then starts each service in order. A service that fails to start is logged and left out. */
  boot(): Promise<void> {
    return this.serialise(() => this.doBoot());
  }

  /** Stops services (reverse order) and closes the store; the unit is then off. */
  shutdown(): Promise<void> {
    return this.serialise(() => this.doStop('shutdown'));
  }

  reboot(reason: string): Promise<void> {
    return this.serialise(async () => {
      this.log.info({ reason }, 'reboot');
      await this.doStop('reboot');
      await this.doBoot();
    });
  }

  /** Resets the store by type (refused by P88 with ParamError 'locked'), then reboots. */
  factoryReset(type: ResetType, reason: string): Promise<void> {
    return this.serialise(async () => {
      const changes = this.store.factoryReset(type);
      this.log.warn({ type, reason, changed: changes.length }, 'factory reset');
      await this.doStop('reset');
      await this.doBoot();
    });
  }

  private serialise(step: () => Promise<void>): Promise<void> {
    const next = this.lifecycle.then(step);
    this.lifecycle = next.catch(() => undefined);
    return next;
  }

  private transition(to: DeviceState): void {
    if (!ALLOWED[this.st].includes(to)) throw new Error(`device: ${this.st} → ${to} not allowed`);
    this.log.debug({ from: this.st, to }, 'state');
    this.st = to;
  }

  private firmwareVersion(): string {
    return this.firmware.activeVersion(this.dataDir) ?? BUILTIN_FIRMWARE_VERSION;
  }

  private async doBoot(): Promise<void> {
    this.transition('booting');
    this.firmware.recoverBoot?.(this.dataDir);
    this.ident = makeIdentity(this.idFile.mac, this.firmwareVersion());
    this.idFile = { ...this.idFile, bootCount: this.idFile.bootCount + 1 };
    writeIdentityFile(this.dataDir, this.idFile);
    this.booted = this.clock.now();
    const store = ParamStore.open(this.dataDir, {
      clock: this.clock,
      log: this.rootLog,
      durability: this.opts.durability,
    });
    this.current = store;
    if (store.report.recovered) {
      this.log.error({ ...store.report.recovered }, 'booted from factory defaults after an unusable database');
    }
    syncIdentityParams(store, this.ident);
    const ctxBase = {
      identity: this.ident,
      store,
      clock: this.clock,
      random: this.random,
      dataDir: this.dataDir,
      network: this.network,
      ports: this.ports,
      device: this as DeviceControl,
      status: this.status,
      services: { get: <T extends Service>(name: string) => this.service<T>(name) },
      logTap: this.logTap,
    };
    for (const spec of this.factories) {
      try {
        const svc = spec.create({ ...ctxBase, log: this.rootLog.child({ subsystem: spec.name }) });
        await svc.start();
        this.running.push(svc);
      } catch (e) {
        this.log.error({ service: spec.name, err: errText(e) }, 'service failed to start; the unit runs without it');
      }
    }
    this.transition('up');
    this.firmware.confirmBoot(this.dataDir);
    this.log.info(
      { bootCount: this.idFile.bootCount, firmware: this.ident.firmwareVersion, services: this.running.map((s) => s.name) },
      'up',
    );
  }

  private async doStop(reason: StopReason): Promise<void> {
    if (this.st === 'off') return;
    this.transition('stopping');
    for (const svc of [...this.running].reverse()) {
      try {
        await svc.stop(reason);
      } catch (e) {
        this.log.error({ service: svc.name, err: errText(e) }, 'service failed to stop cleanly');
      }
    }
    this.running = [];
    this.status.clear();
    this.provideDeviceStatus();
    this.current?.close();
    this.current = undefined;
    this.transition('off');
  }
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
