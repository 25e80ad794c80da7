/**
 * A unit's log tap: the records its subsystems log still go to the unit's logger, and also reach
 * the tap's listener when at or above the tap's level (remote syslog, P208); the SIP trace hook
 * transports read (P1387) lives here too. One tap per Device, never module state: a fleet runs
 * thousands of units in one process, each with its own.
 */
import type { Logger, LogRecord, WireMessage } from './logger';

export type LogLevel = LogRecord['level'];

/** pino's numbers, so a level compares as pino's does. */
export const LEVEL_VALUES: Readonly<Record<LogLevel, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 };

export interface TappedRecord {
  readonly level: LogLevel;
  /** What child() bound on the way down: { subsystem, account, ... } (the MAC is the root's own). */
  readonly bindings: Readonly<Record<string, unknown>>;
  readonly obj: object | string;
  readonly msg: string | undefined;
}

export interface TappedWireMessage {
  readonly message: WireMessage;
  /** The bindings of the transport's logger: { subsystem: 'sip', account: 1 }. */
  readonly bindings: Readonly<Record<string, unknown>>;
}

export class LogTap {
  /** The lowest level value passed on; Infinity = nobody listens. */
  private threshold = Infinity;
  private onRecord: ((r: TappedRecord) => void) | undefined;
  private onWire: ((m: TappedWireMessage) => void) | undefined;
  /** Set while a listener runs: what it logs itself is not tapped again (no loop through the sink). */
  private busy = false;

  /** Records from `level` up go to fn; `listen(undefined)` stops. */
  listen(level: LogLevel | undefined, fn?: (r: TappedRecord) => void): void {
    this.onRecord = level === undefined ? undefined : fn;
    this.threshold = level === undefined || !fn ? Infinity : LEVEL_VALUES[level];
  }

  /** SIP messages on the wire go to fn; undefined stops (transports then build nothing). */
  listenSip(fn: ((m: TappedWireMessage) => void) | undefined): void {
    this.onWire = fn;
  }

  wants(level: string): boolean {
    const v = LEVEL_VALUES[level as LogLevel];
    return v !== undefined && v >= this.threshold;
  }

  get sipOn(): boolean {
    return this.onWire !== undefined;
  }

  emit(r: TappedRecord): void {
    const fn = this.onRecord;
    if (fn) this.guarded(() => fn(r));
  }

  emitSip(m: TappedWireMessage): void {
    const fn = this.onWire;
    if (fn) this.guarded(() => fn(m));
  }

  /** Logging never fails the caller: a listener's error is dropped here (logging it would loop). */
  private guarded(run: () => void): void {
    if (this.busy) return;
    this.busy = true;
    try {
      run();
    } catch {
      /* the sink counts its own failures; nothing to add here */
    } finally {
      this.busy = false;
    }
  }
}

/** Wraps a unit's logger: every call goes to it unchanged, and to the tap when the tap wants it. */
export class TapLogger implements Logger {
  private wire: ((m: WireMessage) => void) | undefined;

  constructor(
    private readonly inner: Logger,
    readonly tap: LogTap,
    private readonly bindings: Readonly<Record<string, unknown>> = {},
  ) {}

  trace(obj: object | string, msg?: string): void {
    this.inner.trace(obj, msg);
    if (this.tap.wants('trace')) this.tap.emit({ level: 'trace', bindings: this.bindings, obj, msg });
  }
  debug(obj: object | string, msg?: string): void {
    this.inner.debug(obj, msg);
    if (this.tap.wants('debug')) this.tap.emit({ level: 'debug', bindings: this.bindings, obj, msg });
  }
  info(obj: object | string, msg?: string): void {
    this.inner.info(obj, msg);
    if (this.tap.wants('info')) this.tap.emit({ level: 'info', bindings: this.bindings, obj, msg });
  }
  warn(obj: object | string, msg?: string): void {
    this.inner.warn(obj, msg);
    if (this.tap.wants('warn')) this.tap.emit({ level: 'warn', bindings: this.bindings, obj, msg });
  }
  error(obj: object | string, msg?: string): void {
    this.inner.error(obj, msg);
    if (this.tap.wants('error')) this.tap.emit({ level: 'error', bindings: this.bindings, obj, msg });
  }

  child(bindings: Record<string, unknown>): Logger {
    return new TapLogger(this.inner.child(bindings), this.tap, { ...this.bindings, ...bindings });
  }

  /** Kept when the unit's own log keeps it, or the tap wants it (syslog at debug with stdout at info). */
  isLevelEnabled(level: string): boolean {
    return (this.inner.isLevelEnabled?.(level) ?? true) || this.tap.wants(level);
  }

  get sipTrace(): ((m: WireMessage) => void) | undefined {
    if (!this.tap.sipOn) return undefined;
    this.wire ??= (message) => this.tap.emitSip({ message, bindings: this.bindings });
    return this.wire;
  }
}
