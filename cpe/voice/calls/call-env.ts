/**
 * What a SIP call usage needs from its account (built by SipSignalling): the UA core, where
 * requests go, credentials, our Contact and AOR, and the dialog registry that routes in-dialog
 * requests back to the call.
 */
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { Random } from '../../shared/random';
import type { SipRequest } from '../sip/syntax/message';
import type { NameAddr } from '../sip/syntax/name-addr';
import type { SipUri, Uri } from '../sip/syntax/uri';
import type { TransportTarget } from '../sip/transport/transport';
import type { RequestOptions, UserAgentCore } from '../sip/ua/user-agent-core';
import type { SessionTimerSettings } from './session-timer';

export interface CallRegistry {
  add(call: { readonly dialogKey: string | undefined }): void;
  remove(call: { readonly dialogKey: string | undefined }): void;
}

export interface CallEnv {
  readonly core: UserAgentCore;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  readonly registry: CallRegistry;
  readonly sessionTimer: SessionTimerSettings;
  /** The transport target for a request to this URI (outbound proxy, server, or an IP literal). */
  targetFor(uri: Uri): TransportTarget;
  /** Digest credentials of the account. */
  requestOptions(): RequestOptions;
  /** A request outside any transaction (the ACK of a 2xx, RFC 3261 §13.2.2.4). */
  sendStateless(request: SipRequest, target: TransportTarget): void;
  contact(): NameAddr;
  aor(): SipUri;
  /** Host part for numbers dialed on this account (sip:number@domain). */
  domain(): string;
  /** Runs a callback from the network; an exception is logged, never thrown into the stack. */
  guard(fn: () => void): void;
}
