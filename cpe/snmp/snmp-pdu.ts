/**
 * SNMP values, variable bindings and PDUs (RFC 3416 §3; the v1 Trap-PDU of RFC 1157 §4.1.6), with
 * their BER codecs. Pure.
 */
import { DecodeError } from '../shared/errors';
import { BerReader, TAG, encInteger, encNull, encOctets, encOid, encSequence, encUnsigned32, encUnsignedBig } from './ber';
import type { Oid } from './oid';

export type SnmpValue =
  | { readonly type: 'Integer'; readonly value: number }
  | { readonly type: 'OctetString'; readonly value: Buffer }
  | { readonly type: 'Null' }
  | { readonly type: 'ObjectIdentifier'; readonly value: Oid }
  /** Four octets, network order (RFC 2578 §7.1.5). */
  | { readonly type: 'IpAddress'; readonly value: Buffer }
  | { readonly type: 'Counter32'; readonly value: number }
  | { readonly type: 'Gauge32'; readonly value: number }
  /** Hundredths of a second. */
  | { readonly type: 'TimeTicks'; readonly value: number }
  | { readonly type: 'Opaque'; readonly value: Buffer }
  | { readonly type: 'Counter64'; readonly value: bigint }
  // RFC 3416 §3 exceptions, in responses only
  | { readonly type: 'noSuchObject' }
  | { readonly type: 'noSuchInstance' }
  | { readonly type: 'endOfMibView' };

export interface VarBind {
  readonly oid: Oid;
  readonly value: SnmpValue;
}

/** Value constructors. */
export const V = {
  int: (value: number): SnmpValue => ({ type: 'Integer', value }),
  str: (s: string | Buffer): SnmpValue => ({ type: 'OctetString', value: typeof s === 'string' ? Buffer.from(s, 'utf8') : s }),
  oid: (value: Oid): SnmpValue => ({ type: 'ObjectIdentifier', value }),
  counter: (value: number): SnmpValue => ({ type: 'Counter32', value: value % 2 ** 32 }),
  gauge: (value: number): SnmpValue => ({ type: 'Gauge32', value }),
  ticks: (value: number): SnmpValue => ({ type: 'TimeTicks', value: value % 2 ** 32 }),
  null: { type: 'Null' } as SnmpValue,
  noSuchObject: { type: 'noSuchObject' } as SnmpValue,
  noSuchInstance: { type: 'noSuchInstance' } as SnmpValue,
  endOfMibView: { type: 'endOfMibView' } as SnmpValue,
};

/** error-status values (RFC 3416 §3). */
export const ERROR_STATUS = {
  noError: 0,
  tooBig: 1,
  noSuchName: 2,
  badValue: 3,
  readOnly: 4,
  genErr: 5,
  noAccess: 6,
  wrongType: 7,
  notWritable: 17,
  authorizationError: 16,
} as const;

export const PDU_TAG = {
  GetRequest: 0xa0,
  GetNextRequest: 0xa1,
  Response: 0xa2,
  SetRequest: 0xa3,
  Trap: 0xa4,
  GetBulkRequest: 0xa5,
  InformRequest: 0xa6,
  'SNMPv2-Trap': 0xa7,
  Report: 0xa8,
} as const;

export type PduType = Exclude<keyof typeof PDU_TAG, 'Trap' | 'GetBulkRequest'>;

export interface Pdu {
  readonly type: PduType;
  readonly requestId: number;
  readonly errorStatus: number;
  readonly errorIndex: number;
  readonly varbinds: readonly VarBind[];
}

/** RFC 3416 §4.2.3. */
export interface BulkPdu {
  readonly type: 'GetBulkRequest';
  readonly requestId: number;
  readonly nonRepeaters: number;
  readonly maxRepetitions: number;
  readonly varbinds: readonly VarBind[];
}

/** RFC 1157 §4.1.6. */
export interface TrapV1Pdu {
  readonly type: 'Trap';
  readonly enterprise: Oid;
  /** Four octets. */
  readonly agentAddr: Buffer;
  readonly genericTrap: number;
  readonly specificTrap: number;
  readonly timeStamp: number;
  readonly varbinds: readonly VarBind[];
}

export type AnyPdu = Pdu | BulkPdu | TrapV1Pdu;

/** RFC 1157 §4.1.6 generic-trap values. */
export const GENERIC_TRAP = { coldStart: 0, warmStart: 1, linkDown: 2, linkUp: 3, authenticationFailure: 4, egpNeighborLoss: 5, enterpriseSpecific: 6 } as const;

const TYPE_BY_TAG = new Map<number, keyof typeof PDU_TAG>(Object.entries(PDU_TAG).map(([k, v]) => [v, k as keyof typeof PDU_TAG]));

// ---- values ----

export function encodeValue(v: SnmpValue): Buffer {
  switch (v.type) {
    case 'Integer': return encInteger(v.value);
    case 'OctetString': return encOctets(v.value);
    case 'Null': return encNull();
    case 'ObjectIdentifier': return encOid(v.value);
    case 'IpAddress':
      if (v.value.length !== 4) throw new TypeError('IpAddress is four octets');
      return encOctets(v.value, TAG.IP_ADDRESS);
    case 'Counter32': return encUnsigned32(v.value, TAG.COUNTER32);
    case 'Gauge32': return encUnsigned32(v.value, TAG.GAUGE32);
    case 'TimeTicks': return encUnsigned32(v.value, TAG.TIMETICKS);
    case 'Opaque': return encOctets(v.value, TAG.OPAQUE);
    case 'Counter64': return encUnsignedBig(v.value, TAG.COUNTER64);
    case 'noSuchObject': return encNull(TAG.NO_SUCH_OBJECT);
    case 'noSuchInstance': return encNull(TAG.NO_SUCH_INSTANCE);
    case 'endOfMibView': return encNull(TAG.END_OF_MIB_VIEW);
  }
}

export function decodeValue(r: BerReader): SnmpValue {
  const tag = r.peekTag();
  switch (tag) {
    case TAG.INTEGER: return { type: 'Integer', value: r.readInteger('value') };
    case TAG.OCTET_STRING: return { type: 'OctetString', value: r.readOctets('value') };
    case TAG.NULL: r.readNull('value'); return V.null;
    case TAG.OID: return { type: 'ObjectIdentifier', value: r.readOid('value') };
    case TAG.IP_ADDRESS: {
      const at = r.offset;
      const b = r.readOctets('IpAddress', TAG.IP_ADDRESS);
      if (b.length !== 4) throw new DecodeError('IpAddress is not four octets', at);
      return { type: 'IpAddress', value: b };
    }
    case TAG.COUNTER32: return { type: 'Counter32', value: r.readUnsigned32('Counter32', TAG.COUNTER32) };
    case TAG.GAUGE32: return { type: 'Gauge32', value: r.readUnsigned32('Gauge32', TAG.GAUGE32) };
    case TAG.TIMETICKS: return { type: 'TimeTicks', value: r.readUnsigned32('TimeTicks', TAG.TIMETICKS) };
    case TAG.OPAQUE: return { type: 'Opaque', value: r.readOctets('Opaque', TAG.OPAQUE) };
    case TAG.COUNTER64: return { type: 'Counter64', value: r.readUnsigned64('Counter64') };
    case TAG.NO_SUCH_OBJECT: r.readNull('noSuchObject', TAG.NO_SUCH_OBJECT); return V.noSuchObject;
    case TAG.NO_SUCH_INSTANCE: r.readNull('noSuchInstance', TAG.NO_SUCH_INSTANCE); return V.noSuchInstance;
    case TAG.END_OF_MIB_VIEW: r.readNull('endOfMibView', TAG.END_OF_MIB_VIEW); return V.endOfMibView;
    default:
      throw new DecodeError(tag === undefined ? 'truncated: value expected' : `unknown value tag 0x${tag.toString(16)}`, r.offset);
  }
}

// ---- variable bindings ----

export function encodeVarBind(vb: VarBind): Buffer {
  return encSequence([encOid(vb.oid), encodeValue(vb.value)]);
}

export function encodeVarBindList(vbs: readonly VarBind[]): Buffer {
  return encSequence(vbs.map(encodeVarBind));
}

export function decodeVarBindList(r: BerReader): VarBind[] {
  const list = r.readSequence('variable-bindings');
  const out: VarBind[] = [];
  while (!list.atEnd()) {
    const vb = list.readSequence('VarBind');
    const oid = vb.readOid('name');
    const value = decodeValue(vb);
    vb.expectEnd('VarBind');
    out.push({ oid, value });
  }
  return out;
}

// ---- PDUs ----

export function encodePdu(p: AnyPdu): Buffer {
  if (p.type === 'Trap') {
    if (p.agentAddr.length !== 4) throw new TypeError('agent-addr is four octets');
    return encSequence(
      [encOid(p.enterprise), encOctets(p.agentAddr, TAG.IP_ADDRESS), encInteger(p.genericTrap), encInteger(p.specificTrap), encUnsigned32(p.timeStamp, TAG.TIMETICKS), encodeVarBindList(p.varbinds)],
      PDU_TAG.Trap,
    );
  }
  const [a, b] = p.type === 'GetBulkRequest' ? [p.nonRepeaters, p.maxRepetitions] : [p.errorStatus, p.errorIndex];
  return encSequence([encInteger(p.requestId), encInteger(a), encInteger(b), encodeVarBindList(p.varbinds)], PDU_TAG[p.type]);
}

export function decodePdu(r: BerReader): AnyPdu {
  const at = r.offset;
  const tag = r.peekTag();
  const type = tag === undefined ? undefined : TYPE_BY_TAG.get(tag);
  if (type === undefined) throw new DecodeError(tag === undefined ? 'truncated: PDU expected' : `unknown PDU tag 0x${tag.toString(16)}`, at);
  const body = r.readSequence(type, tag);
  if (type === 'Trap') {
    const enterprise = body.readOid('enterprise');
    const addrAt = body.offset;
    const agentAddr = body.readOctets('agent-addr', TAG.IP_ADDRESS);
    if (agentAddr.length !== 4) throw new DecodeError('agent-addr is not four octets', addrAt);
    const genericTrap = body.readInteger('generic-trap');
    const specificTrap = body.readInteger('specific-trap');
    const timeStamp = body.readUnsigned32('time-stamp', TAG.TIMETICKS);
    const varbinds = decodeVarBindList(body);
    body.expectEnd('Trap-PDU');
    return { type, enterprise, agentAddr, genericTrap, specificTrap, timeStamp, varbinds };
  }
  const requestId = body.readInteger('request-id');
  const a = body.readInteger(type === 'GetBulkRequest' ? 'non-repeaters' : 'error-status');
  const b = body.readInteger(type === 'GetBulkRequest' ? 'max-repetitions' : 'error-index');
  const varbinds = decodeVarBindList(body);
  body.expectEnd('PDU');
  if (type === 'GetBulkRequest') return { type, requestId, nonRepeaters: a, maxRepetitions: b, varbinds };
  return { type, requestId, errorStatus: a, errorIndex: b, varbinds };
}
