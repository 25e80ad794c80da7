/**
 * Typed errors with stable codes (pattern of undici lib/core/errors.js).
 * Subsystems subclass HtError; `code` never changes once published.
 */
export class HtError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A wire format could not be decoded. `position` is a byte or character offset when known. */
export class DecodeError extends HtError {
  readonly position: number | undefined;
  readonly reason: string;
  constructor(reason: string, position?: number, options?: { cause?: unknown }) {
    super('ERR_DECODE', position === undefined ? reason : `${reason} (at ${position})`, options);
    this.reason = reason;
    this.position = position;
  }
}

export class TransportError extends HtError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_TRANSPORT', message, options);
  }
}

/** Bad command-line or control-socket arguments. */
export class UsageError extends HtError {
  constructor(message: string) {
    super('ERR_USAGE', message);
  }
}
