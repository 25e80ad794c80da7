/**
 * SNMP messages: the community-based v1/v2c message (RFC 1157 §4, RFC 1901 §3) and the v3 message
 * (RFC 3412 §6) with its ScopedPDU, plaintext or encrypted. Which PDUs each version may carry
 * follows RFC 3584 §4.1 (no GetBulk, Inform, v2-Trap or Report in v1; no v1 Trap in v2c/v3). Pure.
 */
import { DecodeError } from '../shared/errors';
import { BerReader, TAG, encInteger, encOctets, encSequence, headerLength } from './ber';
import { decodePdu, encodePdu, type AnyPdu } from './snmp-pdu';

export type SnmpVersion = 'v1' | 'v2c' | 'v3';

/** msgVersion values (RFC 1157, RFC 1901, RFC 3412 §6). */
export const VERSION_NUMBER: Readonly<Record<SnmpVersion, number>> = { v1: 0, v2c: 1, v3: 3 };

export interface CommunityMessage {
  readonly version: 'v1' | 'v2c';
  readonly community: Buffer;
  readonly pdu: AnyPdu;
}

/** RFC 3412 §6.4. */
export interface MsgFlags {
  readonly auth: boolean;
  readonly priv: boolean;
  readonly reportable: boolean;
}

/** RFC 3412 §6.8. */
export interface ScopedPdu {
  readonly contextEngineId: Buffer;
  readonly contextName: Buffer;
  readonly pdu: AnyPdu;
}

export type MsgData = { readonly scoped: ScopedPdu } | { readonly encrypted: Buffer };

export interface V3Message {
  readonly version: 'v3';
  readonly msgId: number;
  readonly maxSize: number;
  readonly flags: MsgFlags;
  /** 3 = USM (RFC 3411 §5 SnmpSecurityModel). */
  readonly securityModel: number;
  /** The msgSecurityParameters octets, for the security model to decode. */
  readonly securityParameters: Buffer;
  readonly data: MsgData;
}

export interface DecodedV3Message extends V3Message {
  /** Offset of the msgSecurityParameters content within the datagram. */
  readonly securityParametersAt: number;
}

export type SnmpMessage = CommunityMessage | DecodedV3Message;

/** RFC 3412 §6.2: msgMaxSize (484..2147483647). */
export const MIN_MAX_SIZE = 484;
export const USM_SECURITY_MODEL = 3;

const V1_ONLY = new Set(['Trap']);
const V2_ONLY = new Set(['GetBulkRequest', 'InformRequest', 'SNMPv2-Trap', 'Report']);

function checkPduForVersion(pdu: AnyPdu, version: SnmpVersion, at: number): void {
  if (version === 'v1' ? V2_ONLY.has(pdu.type) : V1_ONLY.has(pdu.type)) throw new DecodeError(`${pdu.type} is not allowed in SNMP${version}`, at);
}

/** A datagram as a v1, v2c or v3 message. Throws DecodeError. */
export function decodeMessage(buf: Buffer): SnmpMessage {
  const r = new BerReader(buf).readSequence('Message');
  const n = r.readInteger('msgVersion');
  if (n === 0 || n === 1) {
    const version = n === 0 ? 'v1' : 'v2c';
    const community = r.readOctets('community');
    const at = r.offset;
    const pdu = decodePdu(r);
    r.expectEnd('Message');
    checkPduForVersion(pdu, version, at);
    return { version, community, pdu };
  }
  if (n !== 3) throw new DecodeError(`unsupported msgVersion ${n}`, 0);
  const g = r.readSequence('msgGlobalData');
  const msgId = g.readInteger('msgID');
  const maxSize = g.readInteger('msgMaxSize');
  const flagsAt = g.offset;
  const flagOctets = g.readOctets('msgFlags');
  const securityModel = g.readInteger('msgSecurityModel');
  g.expectEnd('msgGlobalData');
  if (msgId < 0) throw new DecodeError('negative msgID', 0);
  if (maxSize < MIN_MAX_SIZE) throw new DecodeError(`msgMaxSize ${maxSize} below ${MIN_MAX_SIZE}`, 0);
  if (flagOctets.length !== 1) throw new DecodeError('msgFlags is not one octet', flagsAt);
  if (securityModel < 1) throw new DecodeError('msgSecurityModel out of range', 0);
  const f = flagOctets[0]!;
  const flags: MsgFlags = { auth: (f & 1) !== 0, priv: (f & 2) !== 0, reportable: (f & 4) !== 0 };
  const sp = r.expect(TAG.OCTET_STRING, 'msgSecurityParameters');
  const securityParameters = buf.subarray(sp.start, sp.end);
  let data: MsgData;
  if (r.peekTag() === TAG.OCTET_STRING) {
    data = { encrypted: r.readOctets('encryptedPDU') };
  } else {
    const t = r.expect(TAG.SEQUENCE, 'ScopedPDU');
    data = { scoped: decodeScopedContent(new BerReader(buf, t.start, t.end)) };
  }
  r.expectEnd('Message');
  return { version: 'v3', msgId, maxSize, flags, securityModel, securityParameters, data, securityParametersAt: sp.start };
}

function decodeScopedContent(r: BerReader): ScopedPdu {
  const contextEngineId = r.readOctets('contextEngineID');
  const contextName = r.readOctets('contextName');
  const at = r.offset;
  const pdu = decodePdu(r);
  r.expectEnd('ScopedPDU');
  checkPduForVersion(pdu, 'v3', at);
  return { contextEngineId, contextName, pdu };
}

/**
 * A ScopedPDU from decrypted octets. DES-CBC pads to 8 octets (RFC 3414 §8.1.1.2), so octets after
 * the SEQUENCE are ignored.
 */
export function decodeScopedPdu(b: Buffer): ScopedPdu {
  const t = new BerReader(b).expect(TAG.SEQUENCE, 'ScopedPDU');
  return decodeScopedContent(new BerReader(b, t.start, t.end));
}

export function encodeScopedPdu(s: ScopedPdu): Buffer {
  return encSequence([encOctets(s.contextEngineId), encOctets(s.contextName), encodePdu(s.pdu)]);
}

export function encodeCommunityMessage(m: CommunityMessage): Buffer {
  return encSequence([encInteger(VERSION_NUMBER[m.version]), encOctets(m.community), encodePdu(m.pdu)]);
}

/** The encoded message and where its msgSecurityParameters content starts. */
export function encodeV3Message(m: V3Message): { bytes: Buffer; securityParametersAt: number } {
  const flags = (m.flags.auth ? 1 : 0) | (m.flags.priv ? 2 : 0) | (m.flags.reportable ? 4 : 0);
  const head = Buffer.concat([
    encInteger(VERSION_NUMBER.v3),
    encSequence([encInteger(m.msgId), encInteger(m.maxSize), encOctets(Buffer.from([flags])), encInteger(m.securityModel)]),
  ]);
  const sp = encOctets(m.securityParameters);
  const data = 'scoped' in m.data ? encodeScopedPdu(m.data.scoped) : encOctets(m.data.encrypted);
  const content = Buffer.concat([head, sp, data]);
  return {
    bytes: encSequence([content]),
    securityParametersAt: headerLength(content.length) + head.length + headerLength(m.securityParameters.length),
  };
}
