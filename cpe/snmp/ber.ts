/**
 * The subset of BER (X.690 §8) SNMP uses (RFC 3417 §8): one-octet tags, definite lengths,
 * INTEGER, OCTET STRING, NULL, OBJECT IDENTIFIER, SEQUENCE and the SMIv2 application types.
 * A reader over a byte range and TLV encoders. Pure: no I/O, no state beyond the cursor.
 */
import { DecodeError } from '../shared/errors';
import { MAX_OID_ARCS, MAX_SUBID, type Oid } from './oid';

/** Tags (X.690 universal; RFC 2578 §7.1 application; RFC 3416 §3 context-specific). */
export const TAG = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  IP_ADDRESS: 0x40,
  COUNTER32: 0x41,
  GAUGE32: 0x42,
  TIMETICKS: 0x43,
  OPAQUE: 0x44,
  COUNTER64: 0x46,
  NO_SUCH_OBJECT: 0x80,
  NO_SUCH_INSTANCE: 0x81,
  END_OF_MIB_VIEW: 0x82,
} as const;

export const INT32_MIN = -0x80000000;
export const INT32_MAX = 0x7fffffff;
export const UINT32_MAX = 0xffffffff;
export const UINT64_MAX = (1n << 64n) - 1n;

export interface Tlv {
  readonly tag: number;
  /** Offset of the first content octet in the reader's buffer. */
  readonly start: number;
  /** Offset just past the last content octet. */
  readonly end: number;
}

export class BerReader {
  private pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  peekTag(): number | undefined {
    return this.pos < this.end ? this.buf[this.pos] : undefined;
  }

  /** One TLV (X.690 §8.1): the cursor moves past it. */
  readTlv(): Tlv {
    const at = this.pos;
    if (at >= this.end) throw new DecodeError('truncated: tag expected', at);
    const tag = this.buf[at]!;
    if ((tag & 0x1f) === 0x1f) throw new DecodeError('multi-octet tags are not used by SNMP', at);
    if (at + 1 >= this.end) throw new DecodeError('truncated: length expected', at + 1);
    const first = this.buf[at + 1]!;
    let len: number;
    let start: number;
    if (first < 0x80) {
      len = first;
      start = at + 2;
    } else {
      // X.690 §8.1.3.6: indefinite form is not allowed in SNMP (RFC 3417 §8)
      if (first === 0x80) throw new DecodeError('indefinite length', at + 1);
      const n = first & 0x7f;
      if (n > 4) throw new DecodeError('length too long', at + 1);
      if (at + 2 + n > this.end) throw new DecodeError('truncated length', at + 1);
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + this.buf[at + 2 + i]!;
      start = at + 2 + n;
    }
    const end = start + len;
    if (end > this.end) throw new DecodeError(`length ${len} runs past the end`, at + 1);
    this.pos = end;
    return { tag, start, end };
  }

  /** A TLV with the given tag. */
  expect(tag: number, what: string): Tlv {
    const at = this.pos;
    const t = this.readTlv();
    if (t.tag !== tag) throw new DecodeError(`${what}: tag 0x${t.tag.toString(16)} where 0x${tag.toString(16)} was expected`, at);
    return t;
  }

  /** INTEGER as Integer32 (RFC 2578 §7.1.1). */
  readInteger(what: string, tag: number = TAG.INTEGER): number {
    const t = this.expect(tag, what);
    const v = signedContent(this.buf, t, 4);
    if (v < INT32_MIN || v > INT32_MAX) throw new DecodeError(`${what}: out of Integer32 range`, t.start);
    return v;
  }

  /** Counter32, Gauge32, TimeTicks (RFC 2578 §7.1.6-8): 0..2^32-1. */
  readUnsigned32(what: string, tag: number): number {
    const t = this.expect(tag, what);
    return unsignedContent(this.buf, t, what);
  }

  /** Counter64 (RFC 2578 §7.1.10). */
  readUnsigned64(what: string, tag: number = TAG.COUNTER64): bigint {
    const t = this.expect(tag, what);
    const len = t.end - t.start;
    if (len === 0) throw new DecodeError(`${what}: empty integer`, t.start);
    if (len > 9 || (len === 9 && this.buf[t.start] !== 0)) throw new DecodeError(`${what}: out of Counter64 range`, t.start);
    let v = 0n;
    for (let i = t.start; i < t.end; i++) v = (v << 8n) | BigInt(this.buf[i]!);
    if (len < 9 && (this.buf[t.start]! & 0x80) !== 0) v &= (1n << BigInt(len * 8)) - 1n; // a lenient sender's top bit: still unsigned
    return v;
  }

  readOctets(what: string, tag: number = TAG.OCTET_STRING): Buffer {
    const t = this.expect(tag, what);
    return this.buf.subarray(t.start, t.end);
  }

  readNull(what: string, tag: number = TAG.NULL): void {
    const t = this.expect(tag, what);
    if (t.end !== t.start) throw new DecodeError(`${what}: NULL with content`, t.start);
  }

  /** X.690 §8.19. */
  readOid(what: string): Oid {
    const t = this.expect(TAG.OID, what);
    return decodeOidContent(this.buf, t.start, t.end, what);
  }

  /** A SEQUENCE (or a constructed PDU tag): a reader over its content. */
  readSequence(what: string, tag: number = TAG.SEQUENCE): BerReader {
    const t = this.expect(tag, what);
    return new BerReader(this.buf, t.start, t.end);
  }

  expectEnd(what: string): void {
    if (this.pos !== this.end) throw new DecodeError(`${what}: ${this.end - this.pos} octets left over`, this.pos);
  }
}

function signedContent(buf: Buffer, t: Tlv, maxLen: number): number {
  const len = t.end - t.start;
  if (len === 0) throw new DecodeError('empty integer', t.start);
  // BER allows non-minimal encodings; beyond one redundant octet the value cannot fit
  if (len > maxLen + 1) throw new DecodeError('integer too long', t.start);
  let u = 0;
  for (let i = t.start; i < t.end; i++) u = u * 256 + buf[i]!;
  return (buf[t.start]! & 0x80) !== 0 ? u - 2 ** (8 * len) : u;
}

function unsignedContent(buf: Buffer, t: Tlv, what: string): number {
  const len = t.end - t.start;
  if (len === 0) throw new DecodeError(`${what}: empty integer`, t.start);
  if (len > 5 || (len === 5 && buf[t.start] !== 0)) throw new DecodeError(`${what}: out of 32-bit range`, t.start);
  let v = 0;
  for (let i = t.start; i < t.end; i++) v = v * 256 + buf[i]!;
  return v; // a 4-octet value with the top bit set is read as unsigned, as net-snmp does
}

export function decodeOidContent(buf: Buffer, start: number, end: number, what: string): Oid {
  if (end === start) throw new DecodeError(`${what}: empty OID`, start);
  const arcs: number[] = [];
  let v = 0;
  let fresh = true;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (fresh && b === 0x80) throw new DecodeError(`${what}: sub-identifier with a leading 0x80`, i);
    v = v * 128 + (b & 0x7f);
    if (v > MAX_SUBID + 80) throw new DecodeError(`${what}: sub-identifier out of range`, i);
    fresh = (b & 0x80) === 0;
    if (!fresh) continue;
    if (arcs.length === 0) {
      const x = v < 40 ? 0 : v < 80 ? 1 : 2;
      arcs.push(x, v - 40 * x);
      if (arcs[1]! > MAX_SUBID) throw new DecodeError(`${what}: sub-identifier out of range`, i);
    } else {
      if (v > MAX_SUBID) throw new DecodeError(`${what}: sub-identifier out of range`, i);
      arcs.push(v);
    }
    if (arcs.length > MAX_OID_ARCS) throw new DecodeError(`${what}: more than ${MAX_OID_ARCS} sub-identifiers`, i);
    v = 0;
  }
  if (!fresh) throw new DecodeError(`${what}: truncated sub-identifier`, end);
  return arcs;
}

// ---- encoders ----

export function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

/** Length of a TLV header for the given content length. */
export function headerLength(contentLength: number): number {
  return 1 + encodeLength(contentLength).length;
}

/** Minimal two's complement (X.690 §8.3.2). */
export function encInteger(n: number, tag: number = TAG.INTEGER): Buffer {
  if (!Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX) throw new TypeError(`not an Integer32: ${n}`);
  const bytes: number[] = [];
  let v = n;
  for (;;) {
    bytes.unshift(v & 0xff);
    const rest = Math.floor(v / 256);
    if ((rest === 0 && (v & 0x80) === 0) || (rest === -1 && (v & 0x80) !== 0)) break;
    v = rest;
  }
  return tlv(tag, Buffer.from(bytes));
}

export function encUnsigned32(n: number, tag: number): Buffer {
  if (!Number.isInteger(n) || n < 0 || n > UINT32_MAX) throw new TypeError(`not an unsigned 32-bit value: ${n}`);
  return encUnsignedBig(BigInt(n), tag);
}

export function encUnsignedBig(n: bigint, tag: number = TAG.COUNTER64): Buffer {
  if (n < 0n || n > UINT64_MAX) throw new TypeError(`not an unsigned 64-bit value: ${n}`);
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if ((bytes[0]! & 0x80) !== 0) bytes.unshift(0);
  return tlv(tag, Buffer.from(bytes));
}

export function encOctets(b: Buffer | string, tag: number = TAG.OCTET_STRING): Buffer {
  return tlv(tag, typeof b === 'string' ? Buffer.from(b, 'utf8') : b);
}

export function encNull(tag: number = TAG.NULL): Buffer {
  return Buffer.from([tag, 0]);
}

/** X.690 §8.19: the first two arcs in one sub-identifier, each sub-identifier base 128. */
export function encOid(o: Oid): Buffer {
  if (o.length < 2 || o.length > MAX_OID_ARCS || o[0]! > 2 || (o[0]! < 2 && o[1]! > 39)) throw new TypeError(`not an encodable OID: ${o.join('.')}`);
  const out: number[] = [];
  const sub = (v: number): void => {
    if (!Number.isInteger(v) || v < 0 || v > MAX_SUBID + 80) throw new TypeError(`sub-identifier out of range: ${v}`);
    const groups: number[] = [v % 128];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) groups.unshift((x % 128) | 0x80);
    out.push(...groups);
  };
  sub(o[0]! * 40 + o[1]!);
  for (let i = 2; i < o.length; i++) {
    if (o[i]! > MAX_SUBID) throw new TypeError(`sub-identifier out of range: ${o[i]}`);
    sub(o[i]!);
  }
  return tlv(TAG.OID, Buffer.from(out));
}

export function encSequence(parts: readonly Buffer[], tag: number = TAG.SEQUENCE): Buffer {
  return tlv(tag, Buffer.concat(parts));
}
