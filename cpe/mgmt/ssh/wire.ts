/**
 * SSH data type representations (RFC 4251 §5): byte, boolean, uint32, string, mpint, name-list.
 * A reader over one payload that throws DecodeError at the first malformed field, and a writer.
 */
import { DecodeError } from '../../shared/errors';

export class SshReader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  byte(): number {
    this.need(1, 'byte');
    return this.buf[this.pos++]!;
  }

  /** RFC 4251 §5: any non-zero value is TRUE. */
  bool(): boolean {
    return this.byte() !== 0;
  }

  uint32(): number {
    this.need(4, 'uint32');
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** A string as raw bytes (a view, not a copy). */
  string(what = 'string'): Buffer {
    const n = this.uint32();
    this.need(n, what);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A string that must be UTF-8 text (names, passwords; RFC 4252 §5 ISO-10646 UTF-8). */
  utf8(what = 'string'): string {
    const b = this.string(what);
    const s = b.toString('utf8');
    if (!Buffer.from(s, 'utf8').equals(b)) throw new DecodeError(`${what} is not UTF-8`, this.pos);
    return s;
  }

  /** RFC 4251 §5 name-list: comma-separated US-ASCII names, none empty. */
  nameList(what = 'name-list'): string[] {
    const b = this.string(what);
    if (b.length === 0) return [];
    const s = b.toString('latin1');
    if (!/^[\x21-\x7e]+$/.test(s)) throw new DecodeError(`${what} holds characters outside US-ASCII`, this.pos);
    const names = s.split(',');
    if (names.some((n) => n === '')) throw new DecodeError(`${what} holds an empty name`, this.pos);
    return names;
  }

  bytes(n: number, what = 'bytes'): Buffer {
    this.need(n, what);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private need(n: number, what: string): void {
    if (n > this.buf.length - this.pos) throw new DecodeError(`truncated ${what}`, this.pos);
  }
}

export class SshWriter {
  private readonly parts: Buffer[] = [];

  byte(v: number): this {
    this.parts.push(Buffer.from([v & 0xff]));
    return this;
  }

  bool(v: boolean): this {
    return this.byte(v ? 1 : 0);
  }

  uint32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v >>> 0);
    this.parts.push(b);
    return this;
  }

  string(v: Buffer | string): this {
    const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    this.uint32(b.length);
    this.parts.push(b);
    return this;
  }

  nameList(names: readonly string[]): this {
    return this.string(names.join(','));
  }

  /** An unsigned big-endian integer as an mpint (RFC 4251 §5: no needless zero bytes, 0x00 before a set top bit). */
  mpint(unsigned: Buffer): this {
    return this.raw(encodeMpint(unsigned));
  }

  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** RFC 4251 §5 mpint of a non-negative integer given as unsigned big-endian bytes, length included. */
export function encodeMpint(unsigned: Buffer): Buffer {
  let i = 0;
  while (i < unsigned.length && unsigned[i] === 0) i++;
  const digits = unsigned.subarray(i);
  const pad = digits.length > 0 && (digits[0]! & 0x80) !== 0 ? 1 : 0;
  const out = Buffer.alloc(4 + pad + digits.length);
  out.writeUInt32BE(pad + digits.length);
  digits.copy(out, 4 + pad);
  return out;
}
