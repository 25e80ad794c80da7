/**
 * The rules an account applies to incoming requests (reference §1.7 "SIP Settings", §1.2), read
 * from the store when a request arrives, so a change counts from the next request on without
 * re-registering: P243/P743 accept SIP from the proxy only, P4340/P4341 validate incoming
 * messages, P258/P449 check the SIP user ID of an INVITE, P2346/P2446 authenticate incoming
 * INVITEs, and the unit-wide P28127 incoming blacklist.
 */
import { bool, str, type ParamReader } from '../fxs/fxs-settings';
import type { Profile } from './account-config';
import { parseBlacklist } from './caller-blacklist';

/** [FXS, FXO] P-numbers. */
export const INBOUND_P = {
  onlyFromProxy: [243, 743],
  validate: [4340, 4341],
  checkUserId: [258, 449],
  authenticateInvite: [2346, 2446],
} as const satisfies Record<string, readonly [number, number]>;

export const BLACKLIST_P = 28127;

export interface InboundPolicy {
  readonly onlyFromProxy: boolean;
  readonly validate: boolean;
  readonly checkUserId: boolean;
  readonly authenticateInvite: boolean;
  /** Normalised caller numbers (caller-blacklist.ts). */
  readonly blacklist: readonly string[];
}

/** Every rule off (the factory defaults). */
export const OPEN_POLICY: InboundPolicy = { onlyFromProxy: false, validate: false, checkUserId: false, authenticateInvite: false, blacklist: [] };

export function readInboundPolicy(p: ParamReader, profile: Profile): InboundPolicy {
  const i = profile - 1;
  const on = (pair: readonly [number, number]): boolean => bool(p, pair[i] as number, false);
  return {
    onlyFromProxy: on(INBOUND_P.onlyFromProxy),
    validate: on(INBOUND_P.validate),
    checkUserId: on(INBOUND_P.checkUserId),
    authenticateInvite: on(INBOUND_P.authenticateInvite),
    blacklist: parseBlacklist(str(p, BLACKLIST_P, '')),
  };
}

export function isOpen(p: InboundPolicy): boolean {
  return !p.onlyFromProxy && !p.validate && !p.checkUserId && !p.authenticateInvite && p.blacklist.length === 0;
}
