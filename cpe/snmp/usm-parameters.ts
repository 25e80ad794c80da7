/**
 * UsmSecurityParameters (RFC 3414 §2.4): the msgSecurityParameters of a v3 message under the USM.
 * The offset of msgAuthenticationParameters is kept: the HMAC is computed over the whole message
 * with those 12 octets zeroed (RFC 3414 §6.3.1, §7.3.1). Pure.
 */
import { DecodeError } from '../shared/errors';
import { BerReader, INT32_MAX, TAG, encInteger, encOctets, encSequence, headerLength } from './ber';

export interface UsmSecurityParameters {
  readonly engineId: Buffer;
  readonly engineBoots: number;
  readonly engineTime: number;
  readonly userName: Buffer;
  readonly authParams: Buffer;
  readonly privParams: Buffer;
}

export interface DecodedUsmParameters extends UsmSecurityParameters {
  /** Offset of the msgAuthenticationParameters content within the decoded bytes. */
  readonly authParamsAt: number;
}

/** RFC 3411 §5 SnmpEngineID SIZE(5..32); RFC 3414 §2.4 msgUserName SIZE(0..32). */
const MAX_ENGINE_ID = 32;
const MAX_USER_NAME = 32;

export function decodeUsmParameters(b: Buffer): DecodedUsmParameters {
  const r = new BerReader(b).readSequence('UsmSecurityParameters');
  const engineId = r.readOctets('msgAuthoritativeEngineID');
  if (engineId.length > MAX_ENGINE_ID) throw new DecodeError('msgAuthoritativeEngineID longer than 32 octets', r.offset);
  const engineBoots = r.readInteger('msgAuthoritativeEngineBoots');
  const engineTime = r.readInteger('msgAuthoritativeEngineTime');
  if (engineBoots < 0 || engineTime < 0) throw new DecodeError('negative engine boots or time', r.offset);
  const userName = r.readOctets('msgUserName');
  if (userName.length > MAX_USER_NAME) throw new DecodeError('msgUserName longer than 32 octets', r.offset);
  const auth = r.expect(TAG.OCTET_STRING, 'msgAuthenticationParameters');
  const privParams = r.readOctets('msgPrivacyParameters');
  r.expectEnd('UsmSecurityParameters');
  return { engineId, engineBoots, engineTime, userName, authParams: b.subarray(auth.start, auth.end), privParams, authParamsAt: auth.start };
}

export function encodeUsmParameters(p: UsmSecurityParameters): { bytes: Buffer; authParamsAt: number } {
  if (p.engineBoots < 0 || p.engineBoots > INT32_MAX || p.engineTime < 0 || p.engineTime > INT32_MAX) throw new TypeError('engine boots/time out of range');
  const head = Buffer.concat([encOctets(p.engineId), encInteger(p.engineBoots), encInteger(p.engineTime), encOctets(p.userName)]);
  const content = Buffer.concat([head, encOctets(p.authParams), encOctets(p.privParams)]);
  const bytes = encSequence([content]);
  return { bytes, authParamsAt: headerLength(content.length) + head.length + headerLength(p.authParams.length) };
}
