/**
 * The file transfer queue behind Download, Upload and ScheduleDownload (TR-069 A.3.2.8, A.4.1.5,
 * A.4.1.8): persisted across reboots, one transfer at a time, DelaySeconds and time windows
 * honoured, results kept until their TransferComplete is acknowledged. The work itself is done by
 * an injected TransferBackend (the provisioning code's fetcher and installers in a real unit).
 */
import type { Cancel, Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { safeJson } from './attributes';
import { EV, type KeyValueState } from './events';
import { CwmpFault, isFaultCode, faultText } from './faults';
import { UNKNOWN_TIME, formatDateTime } from './soap/envelope';
import type { AllQueuedTransfer, QueuedTransfer } from './soap/types';

export interface DownloadRequest {
  readonly url: string;
  /** '1 Firmware Upgrade Image', '3 Vendor Configuration File', ... */
  readonly fileType: string;
  readonly username: string;
  readonly password: string;
  readonly fileSize: number;
  readonly targetFileName: string;
}

export interface UploadRequest {
  readonly url: string;
  /** '1 Vendor Configuration File', '2 Vendor Log File' */
  readonly fileType: string;
  readonly username: string;
  readonly password: string;
}

/** What actually moves files. Throw CwmpFault(9010…9019) on failure (any other error counts as 9010 / 9011). */
export interface TransferBackend {
  /** FileTypes this backend can download (Download of another type is refused with 9003... at request time). */
  readonly downloadTypes: readonly string[];
  readonly uploadTypes: readonly string[];
  download(req: DownloadRequest): Promise<{ rebootRequired: boolean }>;
  upload(req: UploadRequest): Promise<void>;
}

export interface TimeWindowAbs {
  readonly start: number;
  readonly end: number;
}

export interface Transfer extends DownloadRequest {
  readonly commandKey: string;
  readonly isDownload: boolean;
  /** 'M Download' | 'M Upload' | 'M ScheduleDownload' */
  readonly event: string;
  /** Not before this time (ms). */
  readonly dueAt: number;
  readonly windows?: readonly TimeWindowAbs[];
  state: 1 | 2;
}

export interface TransferResult {
  readonly commandKey: string;
  readonly faultCode: number;
  readonly faultString: string;
  readonly startTime: string;
  readonly completeTime: string;
}

export const MAX_QUEUED_TRANSFERS = 8;

export interface TransferQueueDeps {
  readonly state: KeyValueState;
  readonly clock: Clock;
  readonly log: Logger;
  readonly backend: TransferBackend;
  /** A transfer finished (its result and events are queued): open a session, or reboot first. */
  readonly onComplete: (result: TransferResult, rebootRequired: boolean) => void;
  /** Raise an Inform event (7 TRANSFER COMPLETE, M Download ...). */
  readonly addEvent: (code: string, commandKey: string) => void;
}

export class TransferQueue {
  private queue: Transfer[];
  private results: TransferResult[];
  private cancelTimer: Cancel | undefined;
  private running = false;
  private stopped = true;

  constructor(private readonly d: TransferQueueDeps) {
    this.queue = safeJson<Transfer[]>(d.state.get('transfers'), []);
    this.results = safeJson<TransferResult[]>(d.state.get('transferResults'), []);
    // A transfer cut by a reboot starts again from the beginning.
    for (const t of this.queue) t.state = 1;
  }

  private save(): void {
    this.d.state.set('transfers', JSON.stringify(this.queue));
    this.d.state.set('transferResults', JSON.stringify(this.results));
  }

  get backend(): TransferBackend {
    return this.d.backend;
  }

  enqueue(t: Omit<Transfer, 'state'>): void {
    if (this.queue.length >= MAX_QUEUED_TRANSFERS) throw new CwmpFault(9004, `${MAX_QUEUED_TRANSFERS} transfers already queued`);
    this.queue.push({ ...t, state: 1 });
    this.save();
    this.arm();
  }

  /** CancelTransfer (A.4.1.9): only transfers not yet started. */
  cancel(commandKey: string): void {
    const hits = this.queue.filter((t) => t.commandKey === commandKey);
    if (hits.length === 0) throw new CwmpFault(9003, `no queued transfer with CommandKey ${JSON.stringify(commandKey)}`);
    if (hits.some((t) => t.state === 2)) throw new CwmpFault(9021);
    this.queue = this.queue.filter((t) => t.commandKey !== commandKey);
    this.save();
    this.arm();
  }

  queued(): QueuedTransfer[] {
    return this.queue.filter((t) => t.isDownload).map((t) => ({ commandKey: t.commandKey, state: t.state }));
  }

  all(): AllQueuedTransfer[] {
    return this.queue.map((t) => ({
      commandKey: t.commandKey,
      state: t.state,
      isDownload: t.isDownload,
      fileType: t.fileType,
      fileSize: t.fileSize,
      targetFileName: t.targetFileName,
    }));
  }

  /** Results waiting to be reported by TransferComplete. */
  pendingResults(): readonly TransferResult[] {
    return this.results;
  }

  acknowledge(commandKey: string): void {
    const i = this.results.findIndex((r) => r.commandKey === commandKey);
    if (i >= 0) this.results.splice(i, 1);
    this.save();
  }

  start(): void {
    this.stopped = false;
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  /** One timer for the earliest due transfer; none when the queue is empty. */
  private arm(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.stopped || this.running) return;
    const next = this.queue.filter((t) => t.state === 1).sort((a, b) => startOf(a) - startOf(b))[0];
    if (!next) return;
    const wait = Math.max(0, startOf(next) - this.d.clock.now());
    this.cancelTimer = this.d.clock.setTimer(wait, () => {
      this.cancelTimer = undefined;
      void this.run(next).catch((e: unknown) => this.d.log.error({ err: e instanceof Error ? e.message : String(e) }, 'file transfer failed'));
    });
  }

  private async run(t: Transfer): Promise<void> {
    if (this.stopped || !this.queue.includes(t)) return;
    const now = this.d.clock.now();
    if (t.windows && !t.windows.some((w) => now <= w.end)) {
      // ScheduleDownload: every window passed without a chance to run (A.4.1.8).
      this.finish(t, now, now, new CwmpFault(9020), false);
      return;
    }
    this.running = true;
    t.state = 2;
    this.save();
    const started = now;
    let rebootRequired = false;
    let failure: CwmpFault | undefined;
    try {
      if (t.isDownload) rebootRequired = (await this.d.backend.download(t)).rebootRequired;
      else await this.d.backend.upload(t);
    } catch (e) {
      failure = e instanceof CwmpFault ? e : new CwmpFault(t.isDownload ? 9010 : 9011, e instanceof Error ? e.message : String(e));
      this.d.log.warn({ commandKey: t.commandKey, fault: failure.fault, err: failure.message }, 'file transfer failed');
    }
    this.running = false;
    if (this.stopped) return;
    this.finish(t, started, this.d.clock.now(), failure, rebootRequired);
  }

  private finish(t: Transfer, started: number, completed: number, failure: CwmpFault | undefined, rebootRequired: boolean): void {
    this.queue = this.queue.filter((x) => x !== t);
    const result: TransferResult = {
      commandKey: t.commandKey,
      faultCode: failure ? failure.fault : 0,
      faultString: failure ? (isFaultCode(failure.fault) ? faultText(failure.fault) : failure.message) : '',
      startTime: failure?.fault === 9020 ? UNKNOWN_TIME : formatDateTime(started),
      completeTime: failure?.fault === 9020 ? UNKNOWN_TIME : formatDateTime(completed),
    };
    this.results.push(result);
    this.save();
    this.d.addEvent(EV.TRANSFER_COMPLETE, '');
    this.d.addEvent(t.event, t.commandKey);
    this.d.onComplete(result, rebootRequired && !failure);
    this.arm();
  }
}

function startOf(t: Transfer): number {
  const w = t.windows?.find((x) => x.end >= t.dueAt);
  return Math.max(t.dueAt, w ? w.start : t.dueAt);
}
