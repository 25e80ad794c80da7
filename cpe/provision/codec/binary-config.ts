/**
 * The legacy binary config file `cfg<mac>` (reference §3), big-endian:
 *   0  u32  file length in 16-bit words
 *   4  u16  checksum: the 16-bit word sum of the whole file is 0 mod 65536
 *   6  6    device MAC
 *   12 4    CR LF CR LF
 *   16 n    `P2=admin&P35=1001&gnkey=0b82`, values percent-encoded, NUL-padded to an even length
 * Pure codec: bytes ⇄ entries.
 */
import { DecodeError } from '../../shared/errors';
import { macHex, pNumber, type ConfigEntries, type ConfigEntry } from './config-entries';

const HEADER = 16;
const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
/** Bytes 2-3 of Grandstream's OUI 000B82; every writer but one hard-codes it (reference §3). */
export const GNKEY = '0b82';

export interface BinaryConfig {
  /** The MAC in the header, 12 lower-case hex digits. */
  readonly mac: string;
  readonly entries: ConfigEntries;
}

/** True when the bytes carry the binary header (CR LF CR LF at 12); used to tell the formats apart. */
export function looksLikeBinaryConfig(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER && Buffer.from(bytes.subarray(12, 16)).equals(CRLFCRLF);
}

export function encodeBinaryConfig(cfg: BinaryConfig): Buffer {
  const mac = Buffer.from(macHex(cfg.mac), 'hex');
  const pairs = cfg.entries.map(([id, v]) => `P${id}=${percentEncode(v)}`);
  pairs.push(`gnkey=${GNKEY}`);
  let body = Buffer.from(pairs.join('&'), 'latin1');
  if (body.length % 2 === 1) body = Buffer.concat([body, Buffer.alloc(1)]);
  const file = Buffer.alloc(HEADER + body.length);
  file.writeUInt32BE(file.length / 2, 0);
  mac.copy(file, 6);
  CRLFCRLF.copy(file, 12);
  body.copy(file, HEADER);
  file.writeUInt16BE((0x10000 - (wordSum(file) & 0xffff)) & 0xffff, 4);
  return file;
}

/**
 * Decodes and checks a binary config file: length, checksum, header, MAC (when `expectMac` is
 * given) and the trailing `gnkey`. Throws DecodeError naming the first structural fault.
 */
export function decodeBinaryConfig(bytes: Uint8Array, expectMac?: string): BinaryConfig {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buf.length < HEADER) throw new DecodeError(`binary config truncated: ${buf.length} bytes, header needs ${HEADER}`, buf.length);
  if (!buf.subarray(12, 16).equals(CRLFCRLF)) throw new DecodeError('binary config header: no CR LF CR LF at byte 12', 12);
  const words = buf.readUInt32BE(0);
  if (words * 2 > buf.length) throw new DecodeError(`binary config truncated: header says ${words * 2} bytes, file has ${buf.length}`, buf.length);
  if (words * 2 < buf.length) throw new DecodeError(`binary config length mismatch: header says ${words * 2} bytes, file has ${buf.length}`, words * 2);
  if (wordSum(buf) % 0x10000 !== 0) throw new DecodeError('binary config checksum mismatch', 4);
  const mac = buf.subarray(6, 12).toString('hex');
  if (expectMac !== undefined && mac !== macHex(expectMac)) {
    throw new DecodeError(`binary config is for MAC ${mac}, not this unit (${macHex(expectMac)})`, 6);
  }
  let end = buf.length;
  while (end > HEADER && buf[end - 1] === 0) end--;
  const body = buf.subarray(HEADER, end).toString('latin1');
  const entries: ConfigEntry[] = [];
  const parts = body.split('&');
  let pos = HEADER;
  let gnkeyLast = false;
  for (const part of parts) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (gnkeyLast) throw new DecodeError('binary config: gnkey must be the last pair', pos);
    if (name === 'gnkey') {
      if (part.slice(eq + 1) !== GNKEY) throw new DecodeError(`binary config: gnkey=${part.slice(eq + 1)}, expected ${GNKEY}`, pos);
      gnkeyLast = true;
    } else {
      const id = pNumber(name);
      if (eq < 0 || id === undefined) throw new DecodeError(`binary config: not a Pn=value pair: ${JSON.stringify(part.slice(0, 40))}`, pos);
      entries.push([id, percentDecode(part.slice(eq + 1), pos + eq + 1)]);
    }
    pos += part.length + 1;
  }
  if (!gnkeyLast) throw new DecodeError('binary config: no gnkey=0b82 at the end', end);
  return { mac, entries };
}

/** Sum of the big-endian 16-bit words (an odd trailing byte counts as its high byte). */
function wordSum(buf: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < buf.length; i += 2) sum += buf.readUInt16BE(i);
  if (buf.length % 2 === 1) sum += buf[buf.length - 1]! << 8;
  return sum;
}

/** Values are percent-encoded (Elastix urlencode, Wazo quote); `+` stays literal (reference §3 [?]). */
function percentEncode(v: string): string {
  return encodeURIComponent(v);
}

function percentDecode(v: string, pos: number): string {
  try {
    return decodeURIComponent(v);
  } catch {
    throw new DecodeError(`binary config: bad percent-encoding in ${JSON.stringify(v.slice(0, 40))}`, pos);
  }
}
