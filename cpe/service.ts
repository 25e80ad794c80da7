/**
 * What the device gives each service, and what a service gives back. Services are started in the
 * order of cpe/services.ts and stopped in reverse; they read settings from the store and react to
 * its change events, never poll, and never keep a timer that wakes an idle unit for nothing.
 */
import type { Clock } from './shared/clock';
import type { Random } from './shared/random';
import type { Logger } from './shared/logger';
import type { LogTap } from './shared/log-tap';
import type { ParamStore } from './params/store';
import type { ResetType } from './params/types';
import type { StatusBoard } from './status';

export interface DeviceIdentity {
  /** WAN MAC, 12 lower-case hex digits, no separators (what file names and DevId use). */
  readonly mac: string;
  /** LAN MAC = WAN MAC + 1. */
  readonly lanMac: string;
  readonly serialNumber: string;
  readonly model: 'HT813';
  readonly hardwareVersion: string;
  readonly firmwareVersion: string;
  readonly manufacturer: 'Grandstream';
  readonly oui: '000B82';
}

/**
 * The unit's network facts, injected (on the CLI: --bind, --dhcp-option). A software unit has no
 * DHCP client of its own; the operator (or a fleet launcher) says what DHCP would have said.
 */
export interface NetworkFacts {
  /** The address every service binds to (default 127.0.0.1). */
  readonly address: string;
  readonly gateway?: string;
  /** DHCP options as received, by option number (66, 160, 43, 42, 2...). */
  readonly dhcpOptions: ReadonlyMap<number, string>;
  /** Where the SIP plug-and-play SUBSCRIBE goes (P1414), `address:port`; default the SIP multicast group 224.0.1.75:5060. */
  readonly pnpTarget?: string;
}

/** Ports the command line forces, whatever the P-values say (non-root runs, fleets, containers). */
export interface PortOverrides {
  readonly web?: number;
  readonly https?: number;
  /** Added to every port the unit derives from P-values (SIP, RTP, connection request), for fleets on one address. */
  readonly offset?: number;
}

/** What a service may ask of the device lifecycle. */
export interface DeviceControl {
  /** Stop all services, reopen the store, start again (in-process). Resolves when the unit is up again. */
  reboot(reason: string): Promise<void>;
  /** Reset the store by type, then reboot. Rejects with ParamError('locked') when P88 forbids it. */
  factoryReset(type: ResetType, reason: string): Promise<void>;
  /** Time the unit last booted (ms since epoch), for UpTime. */
  bootTime(): number;
  /** How many times the unit has booted since its data folder was created. */
  bootCount(): number;
}

export interface ServiceContext {
  readonly identity: DeviceIdentity;
  readonly store: ParamStore;
  readonly clock: Clock;
  readonly random: Random;
  /** Already bound to { mac, subsystem: service name }. */
  readonly log: Logger;
  /** The unit's own folder; a service keeps its files in `${dataDir}/<service name>/`. */
  readonly dataDir: string;
  readonly network: NetworkFacts;
  readonly ports: PortOverrides;
  readonly device: DeviceControl;
  /** Live status other services and pages read. */
  readonly status: StatusBoard;
  /** Services started before this one, by name (e.g. the web UI finds the provisioner). */
  readonly services: ServiceDirectory;
  /**
   * The unit's log tap: every record of `log` (and its children) passes it (remote syslog listens
   * there). The device always gives one; a hand-built test context may leave it out.
   */
  readonly logTap?: LogTap;
}

export interface ServiceDirectory {
  get<T extends Service>(name: string): T | undefined;
}

export type StopReason = 'reboot' | 'shutdown' | 'reset';

export interface Service {
  readonly name: string;
  start(): Promise<void>;
  stop(reason: StopReason): Promise<void>;
}

export type ServiceFactory = (ctx: ServiceContext) => Service;

/** One entry of cpe/services.ts: the service's name (its log subsystem and directory key) and its factory. */
export interface ServiceSpec {
  readonly name: string;
  readonly create: ServiceFactory;
}
