/**
 * When Informs fall due on their own: 2 PERIODIC (PeriodicInformEnable/Interval/Time, the time
 * setting the phase, TR-181 ManagementServer), 14 HEARTBEAT (CWMP 1.4 HeartbeatPolicy) and
 * 3 SCHEDULED + M ScheduleInform (A.4.1.4, persisted so they survive a reboot).
 */
import type { DataModel } from '../datamodel';
import { dateTimeMs } from '../datamodel/bindings';
import { MS_STATE } from '../datamodel/tree/management-server';
import type { ParamStore } from '../params/store';
import type { Cancel, Clock } from '../shared/clock';
import { safeJson } from './attributes';
import { EV, type KeyValueState } from './events';

/** The first due time strictly after `now` for period `intervalMs` phased at `phase` (ms) if known. */
export function nextPhasedTime(now: number, intervalMs: number, phase: number | undefined): number {
  if (intervalMs <= 0) return Infinity;
  if (phase === undefined) return now + intervalMs;
  const k = Math.floor((now - phase) / intervalMs) + 1;
  return phase + k * intervalMs;
}

/** One timer per name on the injected clock; re-arming a name cancels its previous timer. */
export class NamedTimers {
  private readonly timers = new Map<string, Cancel>();
  constructor(private readonly clock: Clock) {}

  set(name: string, ms: number, fn: () => void): void {
    this.timers.get(name)?.();
    this.timers.set(
      name,
      this.clock.setTimer(ms, () => {
        this.timers.delete(name);
        fn();
      }),
    );
  }

  clear(name: string): void {
    this.timers.get(name)?.();
    this.timers.delete(name);
  }

  has(name: string): boolean {
    return this.timers.has(name);
  }

  clearAll(): void {
    for (const c of this.timers.values()) c();
    this.timers.clear();
  }
}

export interface InformSchedulesDeps {
  readonly store: ParamStore;
  readonly dm: DataModel;
  readonly state: KeyValueState;
  readonly clock: Clock;
  readonly timers: NamedTimers;
  raise(code: string, commandKey?: string): void;
  requestSession(): void;
}

type Scheduled = Array<{ at: number; key: string }>;

export class InformSchedules {
  constructor(private readonly d: InformSchedulesDeps) {}

  /** 2 PERIODIC, phased by PeriodicInformTime. */
  periodic(): void {
    const { store: s, clock } = this.d;
    if (s.get(4506) !== '1') return this.d.timers.clear('periodic');
    const interval = Number(s.get(4507)) * 1000;
    const due = nextPhasedTime(clock.now(), interval, dateTimeMs(s.get(4508)));
    this.d.timers.set('periodic', due - clock.now(), () => {
      this.d.raise(EV.PERIODIC);
      this.d.requestSession();
      this.periodic();
    });
  }

  /** 14 HEARTBEAT. */
  heartbeat(): void {
    const { dm, clock } = this.d;
    if (dm.stateValue(MS_STATE.heartbeatEnable.key, 'false') !== 'true') return this.d.timers.clear('heartbeat');
    const interval = Number(dm.stateValue(MS_STATE.heartbeatInterval.key, '86400')) * 1000;
    const phase = dateTimeMs(dm.stateValue(MS_STATE.heartbeatInitiationTime.key, ''));
    const due = nextPhasedTime(clock.now(), interval, phase);
    this.d.timers.set('heartbeat', due - clock.now(), () => {
      this.d.raise(EV.HEARTBEAT);
      this.d.requestSession();
      this.heartbeat();
    });
  }

  /** ScheduleInform (A.4.1.4). */
  scheduleInform(delaySeconds: number, commandKey: string): void {
    const list = safeJson<Scheduled>(this.d.state.get('scheduledInforms'), []);
    list.push({ at: this.d.clock.now() + delaySeconds * 1000, key: commandKey });
    this.d.state.set('scheduledInforms', JSON.stringify(list));
    this.restore();
  }

  /** Arms the earliest scheduled inform (also at boot). */
  restore(): void {
    const list = safeJson<Scheduled>(this.d.state.get('scheduledInforms'), []);
    const next = [...list].sort((a, b) => a.at - b.at)[0];
    if (!next) return this.d.timers.clear('scheduled');
    this.d.timers.set('scheduled', Math.max(0, next.at - this.d.clock.now()), () => {
      const now = this.d.clock.now();
      const all = safeJson<Scheduled>(this.d.state.get('scheduledInforms'), []);
      const due = all.filter((x) => x.at <= now);
      this.d.state.set('scheduledInforms', JSON.stringify(all.filter((x) => x.at > now)));
      if (due.length > 0) this.d.raise(EV.SCHEDULED);
      for (const x of due) this.d.raise(EV.M_SCHEDULE_INFORM, x.key);
      this.d.requestSession();
      this.restore();
    });
  }
}
