/**
 * Why the unit ends an SSH connection: a typed error carrying the SSH_MSG_DISCONNECT reason code
 * (RFC 4253 §11.1, numbers in RFC 4250 §4.2.2) the peer is sent, with a stable code per kind.
 */
import { HtError } from '../../shared/errors';

export const DISCONNECT = {
  HOST_NOT_ALLOWED_TO_CONNECT: 1,
  PROTOCOL_ERROR: 2,
  KEY_EXCHANGE_FAILED: 3,
  MAC_ERROR: 5,
  SERVICE_NOT_AVAILABLE: 7,
  PROTOCOL_VERSION_NOT_SUPPORTED: 8,
  CONNECTION_LOST: 10,
  BY_APPLICATION: 11,
  TOO_MANY_CONNECTIONS: 12,
  NO_MORE_AUTH_METHODS_AVAILABLE: 14,
} as const;

export type DisconnectReason = (typeof DISCONNECT)[keyof typeof DISCONNECT];

export type SshErrorKind =
  | 'version' // not an SSH-2.0 identification line
  | 'too-large' // a packet or line over the limits
  | 'mac' // MAC or AEAD tag check failed
  | 'kex' // no common algorithm, a bad public value
  | 'protocol' // a message out of place or malformed
  | 'auth'; // no more authentication attempts

const REASON_OF: Readonly<Record<SshErrorKind, DisconnectReason>> = {
  version: DISCONNECT.PROTOCOL_VERSION_NOT_SUPPORTED,
  'too-large': DISCONNECT.PROTOCOL_ERROR,
  mac: DISCONNECT.MAC_ERROR,
  kex: DISCONNECT.KEY_EXCHANGE_FAILED,
  protocol: DISCONNECT.PROTOCOL_ERROR,
  auth: DISCONNECT.NO_MORE_AUTH_METHODS_AVAILABLE,
};

export class SshError extends HtError {
  readonly kind: SshErrorKind;
  /** The reason code sent in SSH_MSG_DISCONNECT. */
  readonly reason: DisconnectReason;
  constructor(kind: SshErrorKind, message: string, options?: { cause?: unknown }) {
    super(`ERR_SSH_${kind.toUpperCase().replace('-', '_')}`, message, options);
    this.kind = kind;
    this.reason = REASON_OF[kind];
  }
}
