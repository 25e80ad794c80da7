import pino from 'pino';

/**
 * Structured logs: one JSON object a line, each naming the unit (mac) and the subsystem.
 * The interface is pino's shape so a pino logger satisfies it; tests pass a CapturingLogger.
 */
export interface Logger {
  trace(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
  /**
   * Whether a record at this level would be kept (pino has it). Hot paths ask before building a
   * record object; a logger without it keeps everything.
   */
  isLevelEnabled?(level: string): boolean;
  /**
   * The unit's SIP message trace when someone listens (syslog with P1387, log-tap.ts), else
   * undefined. A transport reads it once per message and builds nothing when it is undefined.
   */
  readonly sipTrace?: ((m: WireMessage) => void) | undefined;
}

/** A SIP message as a transport saw it on the wire: the bytes as they are, nothing built. */
export interface WireMessage {
  readonly direction: 'sent' | 'received';
  readonly protocol: string;
  /** The far end. */
  readonly address: string;
  readonly port: number;
  readonly bytes: Buffer;
}

export interface LoggerOptions {
  level?: string;
  /** Where lines go; default stdout. */
  destination?: NodeJS.WritableStream;
}

/** The root logger of one unit. Subsystems call `.child({ subsystem: 'sip' })`. */
export function createUnitLogger(mac: string, options: LoggerOptions = {}): Logger {
  const base = pino(
    { level: options.level ?? process.env.HT813_LOG_LEVEL ?? 'info', base: { mac } },
    (options.destination ?? process.stdout) as pino.DestinationStream,
  );
  return base as unknown as Logger;
}

/** A logger that drops everything (benchmarks, quiet CLI commands). */
export const silentLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
  isLevelEnabled() {
    return false;
  },
};

export interface LogRecord {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  bindings: Record<string, unknown>;
  obj: object | string;
  msg?: string;
}

/** Keeps every record in memory, for tests that assert on what was logged. */
export class CapturingLogger implements Logger {
  constructor(
    readonly records: LogRecord[] = [],
    private readonly bindings: Record<string, unknown> = {},
  ) {}
  private push(level: LogRecord['level'], obj: object | string, msg?: string): void {
    this.records.push({ level, bindings: this.bindings, obj, msg });
  }
  trace(obj: object | string, msg?: string): void { this.push('trace', obj, msg); }
  debug(obj: object | string, msg?: string): void { this.push('debug', obj, msg); }
  info(obj: object | string, msg?: string): void { this.push('info', obj, msg); }
  warn(obj: object | string, msg?: string): void { this.push('warn', obj, msg); }
  error(obj: object | string, msg?: string): void { this.push('error', obj, msg); }
  child(bindings: Record<string, unknown>): Logger {
    return new CapturingLogger(this.records, { ...this.bindings, ...bindings });
  }
  /** All records serialised, for "the password never appears" checks. */
  text(): string {
    return this.records.map((r) => JSON.stringify(r)).join('\n');
  }
}
