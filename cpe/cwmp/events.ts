/**
 * The Inform event queue, persisted in the store's service state so undelivered events survive a
 * reboot (TR-069 §3.7.1.5). Single events merge; M events stack, one per CommandKey.
 * Transfer events stay until their TransferComplete has been acknowledged.
 */
import type { EventStruct } from './soap/types';

export interface KeyValueState {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
}

export const EV = {
  BOOTSTRAP: '0 BOOTSTRAP',
  BOOT: '1 BOOT',
  PERIODIC: '2 PERIODIC',
  SCHEDULED: '3 SCHEDULED',
  VALUE_CHANGE: '4 VALUE CHANGE',
  KICKED: '5 KICKED',
  CONNECTION_REQUEST: '6 CONNECTION REQUEST',
  TRANSFER_COMPLETE: '7 TRANSFER COMPLETE',
  REQUEST_DOWNLOAD: '9 REQUEST DOWNLOAD',
  AUTONOMOUS_TRANSFER_COMPLETE: '10 AUTONOMOUS TRANSFER COMPLETE',
  HEARTBEAT: '14 HEARTBEAT',
  M_REBOOT: 'M Reboot',
  M_SCHEDULE_INFORM: 'M ScheduleInform',
  M_DOWNLOAD: 'M Download',
  M_SCHEDULE_DOWNLOAD: 'M ScheduleDownload',
  M_UPLOAD: 'M Upload',
} as const;

/** Kept until the TransferComplete that reports them is acknowledged. */
const TRANSFER_EVENTS = new Set<string>([EV.TRANSFER_COMPLETE, EV.M_DOWNLOAD, EV.M_UPLOAD, EV.M_SCHEDULE_DOWNLOAD, EV.AUTONOMOUS_TRANSFER_COMPLETE]);
/** Meaningless after a reboot: their timers or requesters start afresh (TR-069 Table 7). */
const DISCARDED_ON_BOOT = new Set<string>([EV.CONNECTION_REQUEST, EV.PERIODIC, EV.HEARTBEAT, EV.KICKED]);

const KEY = 'events';

function rank(code: string): number {
  const n = parseInt(code, 10);
  return Number.isFinite(n) ? n : 1000;
}

/** Numbered events in code order, then M events (stable). */
export function sortEvents(list: readonly EventStruct[]): EventStruct[] {
  return [...list].sort((a, b) => rank(a.code) - rank(b.code));
}

export class EventQueue {
  private list: EventStruct[];

  constructor(private readonly state: KeyValueState) {
    const raw = state.get(KEY);
    let parsed: unknown = [];
    try {
      parsed = raw ? JSON.parse(raw) : [];
    } catch {
      parsed = [];
    }
    this.list = Array.isArray(parsed)
      ? parsed.filter((e): e is EventStruct => !!e && typeof e.code === 'string' && typeof e.commandKey === 'string')
      : [];
  }

  private save(): void {
    this.state.set(KEY, JSON.stringify(this.list));
  }

  /** In code order (numbered events first, then M events), as ACS logs expect. */
  pending(): readonly EventStruct[] {
    return sortEvents(this.list);
  }

  has(code: string): boolean {
    return this.list.some((e) => e.code === code);
  }

  get isEmpty(): boolean {
    return this.list.length === 0;
  }

  add(code: string, commandKey = ''): void {
    const multiple = code.startsWith('M ');
    if (this.list.some((e) => e.code === code && (!multiple || e.commandKey === commandKey))) return;
    // HEARTBEAT travels alone (TR-069 Amendment 6 §3.7.1.5); it does not displace others.
    this.list.push({ code, commandKey });
    this.save();
  }

  /** Removes a single event that no longer has a reason (e.g. 5 KICKED once no browser waits). */
  drop(code: string): void {
    if (!this.has(code)) return;
    this.list = this.list.filter((e) => e.code !== code);
    this.save();
  }

  /** At boot: drop what a reboot makes moot, then add 1 BOOT. */
  boot(): void {
    this.list = this.list.filter((e) => !DISCARDED_ON_BOOT.has(e.code));
    if (!this.has(EV.BOOT)) this.list.push({ code: EV.BOOT, commandKey: '' });
    this.save();
  }

  /** The Inform carrying `sent` was acknowledged: remove them except transfer events (acknowledged separately). */
  delivered(sent: readonly EventStruct[]): void {
    const before = this.list.length;
    this.list = this.list.filter((e) => TRANSFER_EVENTS.has(e.code) || !sent.some((s) => s.code === e.code && s.commandKey === e.commandKey));
    if (this.list.length !== before) this.save();
  }

  /** A TransferComplete for `commandKey` was acknowledged. */
  transferAcknowledged(commandKey: string, moreTransfersPending: boolean): void {
    this.list = this.list.filter((e) => {
      if (e.code === EV.M_DOWNLOAD || e.code === EV.M_UPLOAD || e.code === EV.M_SCHEDULE_DOWNLOAD) return e.commandKey !== commandKey;
      if (e.code === EV.TRANSFER_COMPLETE) return moreTransfersPending;
      return true;
    });
    this.save();
  }

  /** Every AutonomousTransferComplete was acknowledged. */
  autonomousAcknowledged(): void {
    const before = this.list.length;
    this.list = this.list.filter((e) => e.code !== EV.AUTONOMOUS_TRANSFER_COMPLETE);
    if (this.list.length !== before) this.save();
  }

  /** A new ACS (URL change): everything queued for the old one is moot; start with BOOTSTRAP. */
  bootstrap(): void {
    this.list = this.list.filter((e) => TRANSFER_EVENTS.has(e.code) || e.code === EV.M_REBOOT || e.code === EV.BOOT);
    this.list.unshift({ code: EV.BOOTSTRAP, commandKey: '' });
    this.save();
  }
}
