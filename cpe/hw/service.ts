/**
 * The 'hw' service: one unit's line hardware — FXS port, FXO port, their jacks, the lifeline
 * relay and the LEDs — configured from the store and reconfigured on its change events without
 * restart. The voice layer finds it with ctx.services.get<HwService>('hw'). See index.ts.
 */
import type { Service, ServiceContext, StopReason } from '../service';
import type { ChangeEvent } from '../params/types';
import { Loop, type LoopExchangeEnd, type LoopTerminalEnd } from './loop';
import { SimFxsPort } from './fxs-port';
import { SimFxoPort } from './fxo-port';
import { LedBoard } from './leds';
import { LifelineRelay, type LifelineReason } from './lifeline';
import {
  DEFAULT_FXO_CONFIG,
  DEFAULT_FXS_CONFIG,
  FXO_PARAMS,
  FXS_PARAMS,
  LIFELINE_PARAMS,
  readFxoConfig,
  readFxsConfig,
  readLifelineMode,
  type FxoConfig,
  type FxsConfig,
} from './config';
import type { FxoState, HookState, LedPanel, LifelineMode } from './types';

export interface LifelineStatus {
  readonly engaged: boolean;
  readonly mode: LifelineMode;
  readonly reason: LifelineReason;
}

declare module '../status' {
  interface StatusMap {
    'hw.leds': LedPanel;
    'hw.fxs.hook': HookState;
    'hw.fxo.state': FxoState;
    'hw.lifeline': LifelineStatus;
  }
}

type Loose = { get(key: string): unknown };

/** Reads an account's state from 'sip.accounts' without depending on its type (AccountStatus[] in cpe/voice/accounts). */
export function accountState(accounts: unknown, profile: 1 | 2): string | undefined {
  if (!Array.isArray(accounts)) return undefined;
  const field = (o: unknown, k: string): unknown => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined);
  const acc = accounts.find((a) => field(a, 'account') === profile || field(a, 'profile') === profile) ?? accounts[profile - 1];
  const st = field(acc, 'state');
  return typeof st === 'string' ? st : undefined;
}

export class HwService implements Service {
  readonly name = 'hw';
  readonly fxs: SimFxsPort;
  readonly fxo: SimFxoPort;
  /** The RJ11 jacks: plug a phone (terminal) into fxsJack, a PSTN line (exchange) into fxoJack. */
  readonly fxsJack: Loop;
  readonly fxoJack: Loop;
  readonly lifeline: LifelineRelay;
  readonly leds: LedBoard;
  private powered = true;
  private booting = true;
  private readonly links = { wan: true, lan: false };
  private readonly busy = { fxs: false, fxo: false };
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly ctx: ServiceContext) {
    const log = ctx.log;
    this.fxs = new SimFxsPort(ctx.clock, log.child({ port: 'fxs' }), this.fxsConfig());
    this.fxo = new SimFxoPort(ctx.clock, log.child({ port: 'fxo' }), this.fxoConfig());
    this.fxsJack = new Loop(ctx.clock, 'fxs');
    this.fxoJack = new Loop(ctx.clock, 'fxo');
    this.lifeline = new LifelineRelay(
      {
        fxsJack: this.fxsJack,
        fxoJack: this.fxoJack,
        fxsPort: this.fxs.line,
        fxoPort: this.fxo,
        idle: () => this.fxs.hook === 'onHook' && this.fxo.state === 'idle',
        refreshRegistration: () => this.lifeline.setRegistrationFailedQuiet(this.registrationFailed(1)),
        fxoPortBusy: () => this.fxo.state !== 'idle',
      },
      log.child({ part: 'lifeline' }),
      this.lifelineMode(),
    );
    this.lifeline.onChange((engaged) => this.fxs.notifyLifeline(engaged));
    this.fxs.beforeRing = () => this.lifeline.beforeNewCall();
    this.fxs.line.beforeOffHook = () => this.lifeline.beforePortOffHook();
    this.fxs.on((e) => {
      if (e.type === 'onHook') this.registrationChanged();
    });
    this.fxo.on((e) => {
      if (e.type === 'state' && e.state === 'idle') this.registrationChanged();
    });
    this.leds = new LedBoard({
      powered: () => this.powered,
      booting: () => this.booting || (ctx.status as unknown as Loose).get('device.state') === 'booting',
      wanLink: () => this.links.wan,
      lanLink: () => this.links.lan,
      registered: (p) => this.registered(p),
      fxsHook: () => this.fxs.hook,
      fxsRinging: () => this.fxs.ringing,
      callActive: (port) => this.busy[port],
      messageWaiting: () => this.fxs.messageWaiting,
      fxoState: () => this.fxo.state,
    });
  }

  async start(): Promise<void> {
    this.unsubscribe = this.ctx.store.subscribe((e) => this.onChange(e));
    const status = this.ctx.status;
    status.provide('hw.leds', () => this.leds.panel());
    status.provide('hw.fxs.hook', () => this.fxs.hook);
    status.provide('hw.fxo.state', () => this.fxo.state);
    status.provide('hw.lifeline', () => ({ engaged: this.lifeline.engaged, mode: this.lifeline.mode, reason: this.lifeline.reason }));
    this.registrationChanged();
    this.booting = false;
  }

  async stop(reason: StopReason): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.fxs.shutdown();
    this.fxo.shutdown();
    for (const k of ['hw.leds', 'hw.fxs.hook', 'hw.fxo.state', 'hw.lifeline'] as const) this.ctx.status.withdraw(k);
    // The unit going down de-energises the relay: the phone falls through to the PSTN line.
    this.powered = false;
    this.lifeline.setPowered(false);
    this.ctx.log.info({ reason }, 'line hardware stopped');
  }

  // ---- for the voice layer and tests ----

  /** Plugs a terminal (a SimulatedPhone) into the FXS jack; undefined unplugs. */
  plugPhone(phone: LoopTerminalEnd | undefined): void {
    this.fxsJack.attachTerminal(phone);
  }

  /** Plugs a PSTN line (a CentralOffice, or any exchange end) into the FXO jack; undefined unplugs. */
  plugLine(line: { readonly line: LoopExchangeEnd } | LoopExchangeEnd | undefined): void {
    this.fxoJack.attachExchange(line && 'line' in line ? line.line : line);
  }

  /** The SIP service calls this whenever an account's state changes ('sip.accounts' is read here). */
  registrationChanged(): void {
    this.lifeline.setRegistrationFailed(this.registrationFailed(1));
  }

  /** The voice layer's call state per port, for the LED fast blink. */
  setCallActive(port: 'fxs' | 'fxo', active: boolean): void {
    this.busy[port] = active;
  }

  /** Simulated WAN/LAN link state (the WAN and LAN LEDs). */
  setLink(port: 'wan' | 'lan', up: boolean): void {
    this.links[port] = up;
  }

  /** A simulated power cut: LEDs dark, lifeline engaged whatever P891 says. */
  powerFail(): void {
    this.powered = false;
    this.fxs.shutdown();
    this.fxo.release();
    this.lifeline.setPowered(false);
  }

  powerRestore(): void {
    this.powered = true;
    this.lifeline.setPowered(true);
  }

  // ---- internals ----

  private registered(profile: 1 | 2): boolean {
    return accountState((this.ctx.status as unknown as Loose).get('sip.accounts'), profile) === 'registered';
  }

  private registrationFailed(profile: 1 | 2): boolean {
    return accountState((this.ctx.status as unknown as Loose).get('sip.accounts'), profile) === 'failed';
  }

  private onChange(e: ChangeEvent): void {
    const ids = e.changes.map((c) => c.id);
    if (ids.some((id) => FXS_PARAMS.has(id))) this.fxs.configure(this.fxsConfig());
    if (ids.some((id) => FXO_PARAMS.has(id))) this.fxo.configure(this.fxoConfig());
    if (ids.some((id) => LIFELINE_PARAMS.has(id))) this.lifeline.setMode(this.lifelineMode());
  }

  private fxsConfig(): FxsConfig {
    try {
      return readFxsConfig(this.ctx.store);
    } catch (e) {
      this.ctx.log.error({ err: (e as Error).message }, 'FXS settings unreadable, using HT813 defaults');
      return DEFAULT_FXS_CONFIG;
    }
  }

  private fxoConfig(): FxoConfig {
    try {
      return readFxoConfig(this.ctx.store);
    } catch (e) {
      this.ctx.log.error({ err: (e as Error).message }, 'FXO settings unreadable, using HT813 defaults');
      return DEFAULT_FXO_CONFIG;
    }
  }

  private lifelineMode(): LifelineMode {
    try {
      return readLifelineMode(this.ctx.store);
    } catch {
      return 'auto';
    }
  }
}

export function createHwService(ctx: ServiceContext): HwService {
  return new HwService(ctx);
}
