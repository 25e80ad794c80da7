/**
 * The User-based Security Model at the authoritative engine (RFC 3414 §3.2 incoming, §3.1
 * outgoing): engine ID and user checks, HMAC verification, the time window, decryption; and
 * the secured message out. Pure given the engine state, the users and the injected Random.
 */
import { DecodeError } from '../shared/errors';
import type { Random } from '../shared/random';
import { INT32_MAX } from './ber';
import { TIME_WINDOW_SECONDS, type EngineState } from './snmp-engine';
import { decodeScopedPdu, encodeScopedPdu, encodeV3Message, USM_SECURITY_MODEL, type DecodedV3Message, type MsgData, type MsgFlags, type ScopedPdu } from './snmp-message';
import type { UsmStat } from './snmp-counters';
import { AUTH_PARAMS_LENGTH, DecryptionError, decryptScoped, encryptScoped, signInPlace, verifyDigest, type AuthProtocol, type PrivProtocol } from './usm-crypto';
import { decodeUsmParameters, encodeUsmParameters, type DecodedUsmParameters } from './usm-parameters';

export type SecurityLevel = 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';

export const LEVEL_RANK: Readonly<Record<SecurityLevel, number>> = { noAuthNoPriv: 0, authNoPriv: 1, authPriv: 2 };

/** A usmUserEntry with its keys localised to this engine (RFC 3414 §2.6). */
export interface UsmUser {
  readonly name: Buffer;
  readonly auth?: { readonly protocol: AuthProtocol; readonly key: Buffer };
  readonly priv?: { readonly protocol: PrivProtocol; readonly key: Buffer };
}

export function levelOf(f: Pick<MsgFlags, 'auth' | 'priv'>): SecurityLevel {
  return f.priv ? 'authPriv' : f.auth ? 'authNoPriv' : 'noAuthNoPriv';
}

export type UsmIncoming =
  | { readonly kind: 'ok'; readonly scoped: ScopedPdu; readonly level: SecurityLevel; readonly user: UsmUser; readonly params: DecodedUsmParameters }
  /** RFC 3414 §3.2: an error indication to report with `counter` at `level`. */
  | { readonly kind: 'report'; readonly counter: UsmStat; readonly level: SecurityLevel; readonly user?: UsmUser; readonly userName: Buffer; readonly requestId: number; readonly pduType?: string }
  | { readonly kind: 'drop'; readonly reason: string; readonly parseError: boolean };

/** RFC 3414 §3.2 steps 1-8 for a message arriving at the authoritative engine. */
export function usmIncoming(msg: DecodedV3Message, raw: Buffer, engine: EngineState, findUser: (name: Buffer) => UsmUser | undefined): UsmIncoming {
  let params: DecodedUsmParameters;
  try {
    params = decodeUsmParameters(msg.securityParameters);
  } catch (e) {
    if (e instanceof DecodeError) return { kind: 'drop', reason: `USM parameters: ${e.message}`, parseError: true };
    throw e;
  }
  const level = levelOf(msg.flags);
  const plain = 'scoped' in msg.data ? msg.data.scoped.pdu : undefined;
  const report = (counter: UsmStat, at: SecurityLevel = 'noAuthNoPriv', user?: UsmUser): UsmIncoming => ({
    kind: 'report',
    counter,
    level: at,
    userName: params.userName,
    requestId: plain && 'requestId' in plain ? plain.requestId : 0,
    ...(user ? { user } : {}),
    ...(plain ? { pduType: plain.type } : {}),
  });
  // step 3: an engine ID not ours (discovery sends an empty one)
  if (!params.engineId.equals(engine.id)) return report('unknownEngineIDs');
  // step 4
  const user = findUser(params.userName);
  if (!user) return report('unknownUserNames');
  // step 5
  if ((msg.flags.auth && !user.auth) || (msg.flags.priv && !user.priv)) return report('unsupportedSecLevels');
  if (msg.flags.auth && user.auth) {
    // step 6
    const authAt = msg.securityParametersAt + params.authParamsAt;
    if (!verifyDigest(user.auth.protocol, user.auth.key, raw, authAt, params.authParams)) return report('wrongDigests');
    // step 7: RFC 3414 §3.2 7a, reported authenticated so the sender can trust our boots and time
    if (engine.boots === INT32_MAX || params.engineBoots !== engine.boots || Math.abs(params.engineTime - engine.time) > TIME_WINDOW_SECONDS) {
      return report('notInTimeWindows', 'authNoPriv', user);
    }
  }
  // step 8
  let scoped: ScopedPdu;
  if (msg.flags.priv && user.priv) {
    if (!('encrypted' in msg.data)) return report('decryptionErrors');
    try {
      scoped = decodeScopedPdu(decryptScoped(user.priv.protocol, user.priv.key, params.engineBoots, params.engineTime, params.privParams, msg.data.encrypted));
    } catch (e) {
      // a wrong privacy key decrypts to noise that does not parse: the same failure (RFC 3414 §8.3.2)
      if (e instanceof DecryptionError || e instanceof DecodeError) return report('decryptionErrors');
      throw e;
    }
  } else {
    if (!('scoped' in msg.data)) return { kind: 'drop', reason: 'encrypted PDU without the privacy flag', parseError: true };
    scoped = msg.data.scoped;
  }
  return { kind: 'ok', scoped, level, user, params };
}

export interface UsmOutgoing {
  readonly msgId: number;
  readonly maxSize: number;
  readonly reportable: boolean;
  readonly engine: EngineState;
  readonly userName: Buffer;
  /** Needed for any level above noAuthNoPriv. */
  readonly user?: UsmUser;
  readonly level: SecurityLevel;
  readonly scoped: ScopedPdu;
  readonly random: Random;
}

/** RFC 3414 §3.1: a v3 message from this (authoritative) engine: encrypted, then signed. */
export function usmOutgoing(o: UsmOutgoing): Buffer {
  const auth = o.level !== 'noAuthNoPriv' ? o.user?.auth : undefined;
  const priv = o.level === 'authPriv' ? o.user?.priv : undefined;
  if (o.level !== 'noAuthNoPriv' && !auth) throw new TypeError('authentication asked of a user without an authentication key');
  if (o.level === 'authPriv' && !priv) throw new TypeError('privacy asked of a user without a privacy key');
  let data: MsgData = { scoped: o.scoped };
  let privParams = Buffer.alloc(0);
  if (priv) {
    // RFC 3414 §8.1.1.1: DES salt = engineBoots ‖ local integer; RFC 3826 §3.1.2.1: AES salt = 64-bit local integer
    privParams = priv.protocol === 'des' ? Buffer.concat([u32(o.engine.boots), o.random.bytes(4)]) : Buffer.from(o.random.bytes(8));
    data = { encrypted: encryptScoped(priv.protocol, priv.key, o.engine.boots, o.engine.time, privParams, encodeScopedPdu(o.scoped)) };
  }
  const usm = encodeUsmParameters({
    engineId: o.engine.id,
    engineBoots: o.engine.boots,
    engineTime: o.engine.time,
    userName: o.userName,
    authParams: Buffer.alloc(auth ? AUTH_PARAMS_LENGTH : 0),
    privParams,
  });
  const flags: MsgFlags = { auth: auth !== undefined, priv: priv !== undefined, reportable: o.reportable };
  const { bytes, securityParametersAt } = encodeV3Message({ version: 'v3', msgId: o.msgId, maxSize: o.maxSize, flags, securityModel: USM_SECURITY_MODEL, securityParameters: usm.bytes, data });
  if (auth) signInPlace(auth.protocol, auth.key, bytes, securityParametersAt + usm.authParamsAt);
  return bytes;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}
