/**
 * RADIUS packets (RFC 2865 §3) and attributes (§5), Vendor-Specific (§5.26) included: a pure codec,
 * bytes ⇄ values. No secrets here: hiding, authenticators and Message-Authenticator are in
 * radius-crypto.ts. Decoding failures throw DecodeError with the byte position.
 */
import { DecodeError } from '../../shared/errors';
import { RadiusError } from './radius-error';

/** RFC 2865 §3 "Code"; the four codes of authentication (§4). */
export const RADIUS_CODES = {
  'Access-Request': 1,
  'Access-Accept': 2,
  'Access-Reject': 3,
  'Access-Challenge': 11,
} as const;
export type RadiusCode = keyof typeof RADIUS_CODES;

/** Attribute types used here (RFC 2865 §5, RFC 3162 §2.1, RFC 3579 §3.2). */
export const ATTR = {
  userName: 1,
  userPassword: 2,
  nasIpAddress: 4,
  replyMessage: 18,
  state: 24,
  vendorSpecific: 26,
  callingStationId: 31,
  nasIdentifier: 32,
  nasPortType: 61,
  messageAuthenticator: 80,
  nasIpv6Address: 95,
} as const;

/** RFC 2865 §5.41 NAS-Port-Type "Virtual" (a connection to the NAS by some transport protocol). */
export const NAS_PORT_TYPE_VIRTUAL = 5;

/** RFC 2865 §3: "The minimum length is 20 and maximum length is 4096." */
export const HEADER_LENGTH = 20;
export const MAX_PACKET_LENGTH = 4096;
/** RFC 2865 §5: one octet of Length covers Type and Length too. */
export const MAX_VALUE_LENGTH = 253;
export const AUTHENTICATOR_LENGTH = 16;

export interface RadiusAttribute {
  readonly type: number;
  readonly value: Buffer;
}

export interface RadiusPacket {
  readonly code: RadiusCode;
  readonly identifier: number;
  /** Request Authenticator (requests) or Response Authenticator (responses), 16 octets. */
  readonly authenticator: Buffer;
  readonly attributes: readonly RadiusAttribute[];
}

/** One sub-attribute of a Vendor-Specific attribute (RFC 2865 §5.26, the SHOULD format). */
export interface VendorAttribute {
  readonly vendorType: number;
  readonly value: Buffer;
}

export interface VendorSpecific {
  readonly vendorId: number;
  readonly attributes: readonly VendorAttribute[];
}

const NAME_OF_CODE: ReadonlyMap<number, RadiusCode> = new Map(Object.entries(RADIUS_CODES).map(([k, v]) => [v, k as RadiusCode]));

/**
 * Bytes → packet. Octets past the Length field are padding and ignored; a datagram shorter than
 * Length, or an attribute running past it, is an error (RFC 2865 §3).
 */
export function decodeRadius(bytes: Buffer): RadiusPacket {
  if (bytes.length < HEADER_LENGTH) throw new DecodeError(`RADIUS packet of ${bytes.length} octets, shorter than the ${HEADER_LENGTH}-octet header`, 0);
  const codeNumber = bytes[0]!;
  const code = NAME_OF_CODE.get(codeNumber);
  if (!code) throw new DecodeError(`unknown RADIUS code ${codeNumber}`, 0);
  const length = bytes.readUInt16BE(2);
  if (length < HEADER_LENGTH || length > MAX_PACKET_LENGTH) throw new DecodeError(`RADIUS Length ${length} outside ${HEADER_LENGTH}..${MAX_PACKET_LENGTH}`, 2);
  if (length > bytes.length) throw new DecodeError(`RADIUS Length ${length} longer than the ${bytes.length} octets received`, 2);
  const attributes: RadiusAttribute[] = [];
  let at = HEADER_LENGTH;
  while (at < length) {
    if (at + 2 > length) throw new DecodeError('attribute header cut short', at);
    const type = bytes[at]!;
    const len = bytes[at + 1]!;
    if (len < 2) throw new DecodeError(`attribute ${type} with Length ${len}`, at + 1);
    if (at + len > length) throw new DecodeError(`attribute ${type} runs past the packet`, at + 1);
    attributes.push({ type, value: Buffer.from(bytes.subarray(at + 2, at + len)) });
    at += len;
  }
  return { code, identifier: bytes[1]!, authenticator: Buffer.from(bytes.subarray(4, 20)), attributes };
}

/** Packet → bytes. Throws RadiusError('encode') for values the format cannot carry. */
export function encodeRadius(p: RadiusPacket): Buffer {
  if (!Number.isInteger(p.identifier) || p.identifier < 0 || p.identifier > 255) throw new RadiusError('encode', `identifier ${p.identifier} is not an octet`);
  if (p.authenticator.length !== AUTHENTICATOR_LENGTH) throw new RadiusError('encode', `authenticator of ${p.authenticator.length} octets, not 16`);
  const parts: Buffer[] = [];
  let length = HEADER_LENGTH;
  for (const a of p.attributes) {
    if (!Number.isInteger(a.type) || a.type < 0 || a.type > 255) throw new RadiusError('encode', `attribute type ${a.type} is not an octet`);
    if (a.value.length > MAX_VALUE_LENGTH) throw new RadiusError('encode', `attribute ${a.type}: ${a.value.length} octets, at most ${MAX_VALUE_LENGTH}`);
    parts.push(Buffer.from([a.type, a.value.length + 2]), a.value);
    length += a.value.length + 2;
  }
  if (length > MAX_PACKET_LENGTH) throw new RadiusError('encode', `packet of ${length} octets, at most ${MAX_PACKET_LENGTH}`);
  const head = Buffer.alloc(4);
  head[0] = RADIUS_CODES[p.code];
  head[1] = p.identifier;
  head.writeUInt16BE(length, 2);
  return Buffer.concat([head, p.authenticator, ...parts], length);
}

/** Vendor-Specific value → Vendor-Id and its sub-attributes (RFC 2865 §5.26). */
export function decodeVendorSpecific(value: Buffer): VendorSpecific {
  if (value.length < 5) throw new DecodeError(`Vendor-Specific of ${value.length} octets, at least 5`, 0);
  if (value[0] !== 0) throw new DecodeError('Vendor-Id high-order octet is not 0', 0);
  const vendorId = value.readUInt32BE(0);
  const attributes: VendorAttribute[] = [];
  let at = 4;
  while (at < value.length) {
    if (at + 2 > value.length) throw new DecodeError('vendor attribute header cut short', at);
    const vendorType = value[at]!;
    const len = value[at + 1]!;
    if (len < 2 || at + len > value.length) throw new DecodeError(`vendor attribute ${vendorType} with Length ${len}`, at + 1);
    attributes.push({ vendorType, value: Buffer.from(value.subarray(at + 2, at + len)) });
    at += len;
  }
  return { vendorId, attributes };
}

export function encodeVendorSpecific(v: VendorSpecific): Buffer {
  if (!Number.isInteger(v.vendorId) || v.vendorId < 0 || v.vendorId > 0xffffff) throw new RadiusError('encode', `Vendor-Id ${v.vendorId} is not a 24-bit enterprise number`);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(v.vendorId, 0);
  const parts: Buffer[] = [head];
  for (const a of v.attributes) {
    if (!Number.isInteger(a.vendorType) || a.vendorType < 0 || a.vendorType > 255) throw new RadiusError('encode', `vendor type ${a.vendorType} is not an octet`);
    parts.push(Buffer.from([a.vendorType, a.value.length + 2]), a.value);
  }
  const out = Buffer.concat(parts);
  if (out.length > MAX_VALUE_LENGTH) throw new RadiusError('encode', `Vendor-Specific of ${out.length} octets, at most ${MAX_VALUE_LENGTH}`);
  return out;
}

/** Every sub-attribute `vendorType` of vendor `vendorId` in the packet's Vendor-Specific attributes; malformed ones are skipped. */
export function vendorAttributes(attributes: readonly RadiusAttribute[], vendorId: number, vendorType: number): Buffer[] {
  const out: Buffer[] = [];
  for (const a of attributes) {
    if (a.type !== ATTR.vendorSpecific) continue;
    let vsa: VendorSpecific;
    try {
      vsa = decodeVendorSpecific(a.value);
    } catch (e) {
      if (e instanceof DecodeError) continue; // RFC 2865 §5.26: a client SHOULD operate without it
      throw e;
    }
    if (vsa.vendorId !== vendorId) continue;
    for (const s of vsa.attributes) if (s.vendorType === vendorType) out.push(s.value);
  }
  return out;
}

/** RFC 2865 §5 "integer": 32-bit unsigned, network order. */
export function integerValue(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

export function attributesOf(p: RadiusPacket, type: number): Buffer[] {
  return p.attributes.filter((a) => a.type === type).map((a) => a.value);
}
