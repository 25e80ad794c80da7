/**
 * The 'maintenance' service: automatic reboot (P21929; schedule in reboot-schedule.ts). One timer
 * on the injected clock for the next reboot, re-armed at once when a schedule P-value changes;
 * none when automatic reboot is off. A unit in use is not cut off: while the phone is off hook or
 * the PSTN line rings or is seized, the reboot waits and looks again each minute (our choice; the
 * guide says nothing of calls in progress).
 */
import type { Cancel } from '../shared/clock';
import type { ChangeEvent } from '../params/types';
import type { Service, ServiceContext, StopReason } from '../service';
import { nextRebootTime, rebootSettings, REBOOT_PVALUES } from './reboot-schedule';

declare module '../status' {
  interface StatusMap {
    /** When the next automatic reboot is due (ms since the epoch); undefined when off. */
    'maintenance.nextReboot': number | undefined;
  }
}

/** How often a reboot that found the unit in use looks again. */
export const BUSY_RECHECK_MS = 60_000;

export class AutoRebootService implements Service {
  readonly name = 'maintenance';
  private timer: Cancel | undefined;
  private nextAt: number | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly ctx: ServiceContext) {}

  async start(): Promise<void> {
    this.ctx.status.provide('maintenance.nextReboot', () => this.nextAt);
    this.unsubscribe = this.ctx.store.subscribe((e) => this.onChange(e));
    this.arm();
  }

  async stop(_reason: StopReason): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.disarm();
    this.ctx.status.withdraw('maintenance.nextReboot');
  }

  private onChange(e: ChangeEvent): void {
    if (!e.changes.some((c) => REBOOT_PVALUES.has(c.id))) return;
    this.arm();
    const next = this.nextAt === undefined ? null : new Date(this.nextAt).toISOString();
    this.ctx.log.info({ nextReboot: next }, 'automatic reboot rescheduled');
  }

  private disarm(): void {
    this.timer?.();
    this.timer = undefined;
    this.nextAt = undefined;
  }

  private arm(): void {
    this.disarm();
    const now = this.ctx.clock.now();
    const at = nextRebootTime(now, rebootSettings((id) => this.ctx.store.get(id)));
    if (at === undefined) return;
    this.nextAt = at;
    this.timer = this.ctx.clock.setTimer(at - now, () => this.due(at));
  }

  private due(at: number): void {
    this.timer = undefined;
    const now = this.ctx.clock.now();
    // the wall clock may lag the timer's monotonic one: never reboot before the hour (a reboot
    // a moment early would find the same hour still ahead and reboot again)
    if (now < at) {
      this.timer = this.ctx.clock.setTimer(at - now, () => this.due(at));
      return;
    }
    if (this.inUse()) {
      this.ctx.log.info('automatic reboot: the unit is in use, looking again in a minute');
      this.timer = this.ctx.clock.setTimer(BUSY_RECHECK_MS, () => this.due(at));
      return;
    }
    this.nextAt = undefined;
    this.ctx.log.info('automatic reboot (P21929)');
    this.ctx.device.reboot('automatic reboot').catch((e: Error) => this.ctx.log.error({ err: e.message }, 'automatic reboot failed'));
  }

  /** The phone is off hook, or the PSTN line rings or is seized. */
  private inUse(): boolean {
    const fxs = this.ctx.status.get('hw.fxs.hook');
    const fxo = this.ctx.status.get('hw.fxo.state');
    return fxs === 'offHook' || fxo === 'ringing' || fxo === 'seized' || fxo === 'dialing' || fxo === 'connected';
  }
}

export function createAutoRebootService(ctx: ServiceContext): AutoRebootService {
  return new AutoRebootService(ctx);
}
