/**
 * Failures of a RADIUS exchange, with stable codes (the HtError pattern of cpe/shared/errors.ts).
 * Bad bytes from the network are a DecodeError from the codec and never leave the client: a
 * response that fails to decode or to authenticate is dropped (RFC 2865 §3 "silently discarded").
 */
import { HtError } from '../../shared/errors';

export type RadiusErrorKind = 'timeout' | 'unreachable' | 'config' | 'closed' | 'encode';

const CODES: Readonly<Record<RadiusErrorKind, string>> = {
  timeout: 'ERR_RADIUS_TIMEOUT',
  unreachable: 'ERR_RADIUS_UNREACHABLE',
  config: 'ERR_RADIUS_CONFIG',
  closed: 'ERR_RADIUS_CLOSED',
  encode: 'ERR_RADIUS_ENCODE',
};

export class RadiusError extends HtError {
  constructor(
    readonly kind: RadiusErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(CODES[kind], message, options);
  }
}
