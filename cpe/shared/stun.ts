/**
 * STUN messages (RFC 5389), shared by TR-111 Part 2 (cpe/cwmp/stun) and the SIP accounts' NAT
 * traversal (cpe/voice/accounts/stun-binding.ts): Binding Request / Response, MAPPED-ADDRESS
 * and XOR-MAPPED-ADDRESS, USERNAME + MESSAGE-INTEGRITY (HMAC-SHA1), and the TR-111 attributes
 * CONNECTION-REQUEST-BINDING (0xC001) and BINDING-CHANGE (0xC002). Pure codec.
 */
import { createHmac } from 'node:crypto';
import { DecodeError } from './errors';

export const MAGIC_COOKIE = 0x2112a442;
export const BINDING_REQUEST = 0x0001;
export const BINDING_SUCCESS = 0x0101;
export const BINDING_ERROR = 0x0111;

export const ATTR = {
  MAPPED_ADDRESS: 0x0001,
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  XOR_MAPPED_ADDRESS: 0x0020,
  CONNECTION_REQUEST_BINDING: 0xc001,
  BINDING_CHANGE: 0xc002,
} as const;

/** TR-111 §2.2.1: the value of CONNECTION-REQUEST-BINDING. */
export const TR111_BINDING_VALUE = 'dslforum.org/TR-111 ';

export interface StunAttribute {
  readonly type: number;
  readonly value: Buffer;
}

export interface StunMessage {
  readonly type: number;
  readonly transactionId: Buffer;
  readonly attributes: readonly StunAttribute[];
}

export interface MappedAddress {
  readonly address: string;
  readonly port: number;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Encodes a message; with `integrityKey`, MESSAGE-INTEGRITY is appended (RFC 5389 §15.4). */
export function encodeStun(m: StunMessage, integrityKey?: string): Buffer {
  if (m.transactionId.length !== 12) throw new RangeError('STUN transaction ID must be 12 bytes');
  const parts: Buffer[] = [];
  for (const a of m.attributes) {
    const h = Buffer.alloc(4);
    h.writeUInt16BE(a.type, 0);
    h.writeUInt16BE(a.value.length, 2);
    parts.push(h, a.value, Buffer.alloc(pad4(a.value.length) - a.value.length));
  }
  let body = Buffer.concat(parts);
  const header = (len: number): Buffer => {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(m.type, 0);
    h.writeUInt16BE(len, 2);
    h.writeUInt32BE(MAGIC_COOKIE, 4);
    m.transactionId.copy(h, 8);
    return h;
  };
  if (integrityKey !== undefined) {
    // The HMAC covers the header (with the length including MESSAGE-INTEGRITY) and the attributes before it.
    const mac = createHmac('sha1', integrityKey).update(Buffer.concat([header(body.length + 24), body])).digest();
    const ah = Buffer.alloc(4);
    ah.writeUInt16BE(ATTR.MESSAGE_INTEGRITY, 0);
    ah.writeUInt16BE(20, 2);
    body = Buffer.concat([body, ah, mac]);
  }
  return Buffer.concat([header(body.length), body]);
}

export function decodeStun(b: Buffer): StunMessage {
  if (b.length < 20) throw new DecodeError('STUN message shorter than its header', b.length);
  if ((b[0]! & 0xc0) !== 0) throw new DecodeError('not a STUN message (first two bits set)', 0);
  const type = b.readUInt16BE(0);
  const len = b.readUInt16BE(2);
  if (b.readUInt32BE(4) !== MAGIC_COOKIE) throw new DecodeError('STUN magic cookie missing (RFC 3489 servers are not supported)', 4);
  if (len % 4 !== 0 || 20 + len > b.length) throw new DecodeError('bad STUN message length', 2);
  const attributes: StunAttribute[] = [];
  for (let i = 20; i < 20 + len; ) {
    if (i + 4 > 20 + len) throw new DecodeError('truncated STUN attribute header', i);
    const t = b.readUInt16BE(i);
    const l = b.readUInt16BE(i + 2);
    if (i + 4 + l > 20 + len) throw new DecodeError('truncated STUN attribute', i);
    attributes.push({ type: t, value: b.subarray(i + 4, i + 4 + l) });
    i += 4 + pad4(l);
  }
  return { type, transactionId: b.subarray(8, 20), attributes };
}

/** The reflexive address of a Binding Response: XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS (IPv4). */
export function mappedAddress(m: StunMessage): MappedAddress | undefined {
  const xor = m.attributes.find((a) => a.type === ATTR.XOR_MAPPED_ADDRESS);
  const plain = m.attributes.find((a) => a.type === ATTR.MAPPED_ADDRESS);
  const a = xor ?? plain;
  if (!a || a.value.length < 8 || a.value[1] !== 0x01) return undefined;
  let port = a.value.readUInt16BE(2);
  let ip = a.value.readUInt32BE(4);
  if (a === xor) {
    port ^= MAGIC_COOKIE >>> 16;
    ip = (ip ^ MAGIC_COOKIE) >>> 0;
  }
  return { address: [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.'), port };
}

/** RFC 7983 §7 / RFC 5389 §6: a datagram on a shared socket is STUN when it starts 0b00 and carries the magic cookie. */
export function looksLikeStun(b: Buffer): boolean {
  return b.length >= 20 && (b[0]! & 0xc0) === 0 && b.readUInt32BE(4) === MAGIC_COOKIE;
}

/** The value of an XOR-MAPPED-ADDRESS attribute for an IPv4 address (RFC 5389 §15.2). */
export function xorMappedAddressValue(a: MappedAddress): Buffer {
  const parts = a.address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) throw new RangeError(`not an IPv4 address: ${a.address}`);
  const ip = ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
  const v = Buffer.alloc(8);
  v[1] = 0x01;
  v.writeUInt16BE((a.port ^ (MAGIC_COOKIE >>> 16)) & 0xffff, 2);
  v.writeUInt32BE((ip ^ MAGIC_COOKIE) >>> 0, 4);
  return v;
}
