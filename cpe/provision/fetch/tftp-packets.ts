/**
 * TFTP packets (RFC 1350 §5, options RFC 2347 OACK with blksize RFC 2348 and tsize RFC 2349).
 * Pure codec over bytes.
 */
import { DecodeError } from '../../shared/errors';

export const OP = { RRQ: 1, WRQ: 2, DATA: 3, ACK: 4, ERROR: 5, OACK: 6 } as const;

/** RFC 1350 §5 error codes, plus 8 from RFC 2347. */
export const TFTP_ERROR = {
  notDefined: 0,
  fileNotFound: 1,
  accessViolation: 2,
  diskFull: 3,
  illegalOperation: 4,
  unknownTid: 5,
  fileExists: 6,
  noSuchUser: 7,
  optionRefused: 8,
} as const;

export type TftpPacket =
  | { op: 'RRQ'; filename: string; mode: string; options: ReadonlyMap<string, string> }
  | { op: 'DATA'; block: number; data: Buffer }
  | { op: 'ACK'; block: number }
  | { op: 'ERROR'; code: number; message: string }
  | { op: 'OACK'; options: ReadonlyMap<string, string> };

export function encodeTftp(p: TftpPacket): Buffer {
  switch (p.op) {
    case 'RRQ': {
      const parts = [p.filename, p.mode];
      for (const [k, v] of p.options) parts.push(k, v);
      return Buffer.concat([u16(OP.RRQ), ...parts.map((s) => Buffer.from(s + '\0', 'latin1'))]);
    }
    case 'DATA':
      return Buffer.concat([u16(OP.DATA), u16(p.block), p.data]);
    case 'ACK':
      return Buffer.concat([u16(OP.ACK), u16(p.block)]);
    case 'ERROR':
      return Buffer.concat([u16(OP.ERROR), u16(p.code), Buffer.from(p.message + '\0', 'latin1')]);
    case 'OACK': {
      const parts: string[] = [];
      for (const [k, v] of p.options) parts.push(k, v);
      return Buffer.concat([u16(OP.OACK), ...parts.map((s) => Buffer.from(s + '\0', 'latin1'))]);
    }
  }
}

export function decodeTftp(buf: Buffer): TftpPacket {
  if (buf.length < 2) throw new DecodeError('TFTP packet shorter than its opcode', 0);
  const op = buf.readUInt16BE(0);
  switch (op) {
    case OP.RRQ: {
      const s = strings(buf, 2);
      if (s.length < 2) throw new DecodeError('TFTP RRQ without filename and mode', 2);
      return { op: 'RRQ', filename: s[0]!, mode: s[1]!.toLowerCase(), options: pairs(s.slice(2), 2) };
    }
    case OP.DATA:
      if (buf.length < 4) throw new DecodeError('TFTP DATA without block number', 2);
      return { op: 'DATA', block: buf.readUInt16BE(2), data: buf.subarray(4) };
    case OP.ACK:
      if (buf.length < 4) throw new DecodeError('TFTP ACK without block number', 2);
      return { op: 'ACK', block: buf.readUInt16BE(2) };
    case OP.ERROR: {
      if (buf.length < 4) throw new DecodeError('TFTP ERROR without code', 2);
      const end = buf.indexOf(0, 4);
      return { op: 'ERROR', code: buf.readUInt16BE(2), message: buf.subarray(4, end < 0 ? buf.length : end).toString('latin1') };
    }
    case OP.OACK:
      return { op: 'OACK', options: pairs(strings(buf, 2), 2) };
    default:
      throw new DecodeError(`TFTP opcode ${op} unknown`, 0);
  }
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n & 0xffff, 0);
  return b;
}

/** NUL-terminated strings from `start` to the end; every one must be terminated. */
function strings(buf: Buffer, start: number): string[] {
  const out: string[] = [];
  let i = start;
  while (i < buf.length) {
    const end = buf.indexOf(0, i);
    if (end < 0) throw new DecodeError('TFTP string not NUL-terminated', i);
    out.push(buf.subarray(i, end).toString('latin1'));
    i = end + 1;
  }
  return out;
}

/** RFC 2347: option names are case-insensitive. */
function pairs(s: string[], pos: number): Map<string, string> {
  if (s.length % 2 !== 0) throw new DecodeError('TFTP option without value', pos);
  const m = new Map<string, string>();
  for (let i = 0; i < s.length; i += 2) m.set(s[i]!.toLowerCase(), s[i + 1]!);
  return m;
}
