/**
 * On-hook data link messages for caller ID and message waiting, as bytes (before FSK):
 *  - Telcordia GR-30-CORE §5 / SR-3004: SDMF call (0x04: MMDDHHMM + number, or 'O'/'P'),
 *    SDMF message waiting (0x06: 0x42×3 on, 0x6F×3 off), MDMF call (0x80) and MDMF message
 *    waiting (0x82) made of parameters (type, length, value);
 *  - ETSI EN 300 659-3 §5: the same MDMF layout, 0x80 call set-up, 0x82 message waiting
 *    indicator, with extra parameter types (0x03 called line, 0x11 call type, 0x0D messages).
 * Every message: type, length (bytes that follow before the checksum), body, checksum byte such
 * that the sum of all bytes is 0 modulo 256.
 */
import { DecodeError } from '../../shared/errors';

export const CID_SDMF_CALL = 0x04;
export const CID_SDMF_MWI = 0x06;
export const CID_MDMF_CALL = 0x80;
export const CID_MDMF_MWI = 0x82;

/** MDMF parameter types (GR-30 Table 5; EN 300 659-3 Table 3). */
export const CID_PARAM = {
  dateTime: 0x01,
  number: 0x02,
  calledNumber: 0x03,
  numberAbsent: 0x04,
  name: 0x07,
  nameAbsent: 0x08,
  visualIndicator: 0x0b,
  messageCount: 0x0d,
  callType: 0x11,
} as const;

export interface CidParam {
  readonly type: number;
  readonly value: Buffer;
}

export type CidMessage =
  | { readonly kind: 'sdmf-call'; readonly dateTime: string; readonly number?: string; readonly absent?: 'O' | 'P' }
  | { readonly kind: 'sdmf-mwi'; readonly active: boolean }
  | { readonly kind: 'mdmf'; readonly type: number; readonly params: readonly CidParam[] };

export function checksum(bytes: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < bytes.length; i++) s = (s + bytes[i]!) & 0xff;
  return (0x100 - s) & 0xff;
}

function frame(type: number, body: Buffer): Buffer {
  if (body.length > 255) throw new RangeError('caller ID message body longer than 255 bytes');
  const head = Buffer.from([type, body.length]);
  const all = Buffer.concat([head, body]);
  return Buffer.concat([all, Buffer.from([checksum(all)])]);
}

export function encodeCidMessage(m: CidMessage): Buffer {
  switch (m.kind) {
    case 'sdmf-call': {
      if (!/^\d{8}$/.test(m.dateTime)) throw new RangeError('SDMF date/time must be MMDDHHMM');
      const tail = m.number !== undefined ? m.number : (m.absent ?? 'O');
      return frame(CID_SDMF_CALL, Buffer.from(m.dateTime + tail, 'latin1'));
    }
    case 'sdmf-mwi':
      return frame(CID_SDMF_MWI, Buffer.alloc(3, m.active ? 0x42 : 0x6f));
    case 'mdmf': {
      const parts: Buffer[] = [];
      for (const p of m.params) {
        if (p.value.length > 255) throw new RangeError(`MDMF parameter 0x${p.type.toString(16)} longer than 255 bytes`);
        parts.push(Buffer.from([p.type, p.value.length]), p.value);
      }
      return frame(m.type, Buffer.concat(parts));
    }
  }
}

/** Decodes one message at the start of `bytes` (extra bytes after it are ignored); `used` says how many it took. */
export function decodeCidMessage(bytes: Uint8Array): { message: CidMessage; used: number } {
  if (bytes.length < 3) throw new DecodeError('caller ID message truncated', bytes.length);
  const type = bytes[0]!;
  const len = bytes[1]!;
  if (bytes.length < len + 3) throw new DecodeError('caller ID message truncated', bytes.length);
  const used = len + 3;
  if (checksum(bytes.subarray(0, used - 1)) !== bytes[used - 1]) throw new DecodeError('caller ID checksum mismatch', used - 1);
  const body = Buffer.from(bytes.subarray(2, 2 + len));
  switch (type) {
    case CID_SDMF_CALL: {
      if (len < 9) throw new DecodeError('SDMF call message too short', 1);
      const text = body.toString('latin1');
      const dateTime = text.slice(0, 8);
      if (!/^\d{8}$/.test(dateTime)) throw new DecodeError('SDMF date/time not MMDDHHMM', 2);
      const rest = text.slice(8);
      if (rest === 'O' || rest === 'P') return { message: { kind: 'sdmf-call', dateTime, absent: rest }, used };
      return { message: { kind: 'sdmf-call', dateTime, number: rest }, used };
    }
    case CID_SDMF_MWI: {
      if (len !== 3) throw new DecodeError('SDMF message waiting must carry 3 bytes', 1);
      if (body.every((b) => b === 0x42)) return { message: { kind: 'sdmf-mwi', active: true }, used };
      if (body.every((b) => b === 0x6f)) return { message: { kind: 'sdmf-mwi', active: false }, used };
      throw new DecodeError('SDMF message waiting indicator neither 0x42 nor 0x6F', 2);
    }
    case CID_MDMF_CALL:
    case CID_MDMF_MWI: {
      const params: CidParam[] = [];
      let o = 0;
      while (o < body.length) {
        if (o + 2 > body.length) throw new DecodeError('MDMF parameter header truncated', 2 + o);
        const pl = body[o + 1]!;
        if (o + 2 + pl > body.length) throw new DecodeError('MDMF parameter overruns the message', 2 + o);
        params.push({ type: body[o]!, value: Buffer.from(body.subarray(o + 2, o + 2 + pl)) });
        o += 2 + pl;
      }
      return { message: { kind: 'mdmf', type, params }, used };
    }
    default:
      throw new DecodeError(`unknown caller ID message type 0x${type.toString(16)}`, 0);
  }
}

/** What a caller ID display shows. */
export interface CallerId {
  /** MMDDHHMM, local time. */
  readonly dateTime?: string;
  readonly number?: string;
  /** Why the number is missing: O out of area / unavailable, P private. */
  readonly numberAbsent?: 'O' | 'P';
  readonly name?: string;
  readonly nameAbsent?: 'O' | 'P';
}

/** MMDDHHMM of a date in the unit's local time zone offset (minutes east of UTC). */
export function cidDateTime(epochMs: number, tzOffsetMinutes = 0): string {
  const d = new Date(epochMs + tzOffsetMinutes * 60_000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return p(d.getUTCMonth() + 1) + p(d.getUTCDate()) + p(d.getUTCHours()) + p(d.getUTCMinutes());
}

const latin = (s: string): Buffer => Buffer.from(s, 'latin1');

/** MDMF call set-up (Bellcore 0x80 / ETSI 0x80) parameters of a caller ID, in the standard order. */
export function callerIdToMdmf(cid: CallerId, maxNumber = 20, maxName = 15): CidMessage {
  const params: CidParam[] = [];
  if (cid.dateTime) params.push({ type: CID_PARAM.dateTime, value: latin(cid.dateTime) });
  if (cid.number) params.push({ type: CID_PARAM.number, value: latin(cid.number.slice(0, maxNumber)) });
  else params.push({ type: CID_PARAM.numberAbsent, value: latin(cid.numberAbsent ?? 'O') });
  if (cid.name) params.push({ type: CID_PARAM.name, value: latin(cid.name.slice(0, maxName)) });
  else if (cid.nameAbsent || cid.number === undefined) params.push({ type: CID_PARAM.nameAbsent, value: latin(cid.nameAbsent ?? cid.numberAbsent ?? 'O') });
  return { kind: 'mdmf', type: CID_MDMF_CALL, params };
}

/** SDMF call message of a caller ID (number only, ≤ 10 digits in GR-30; name is dropped). */
export function callerIdToSdmf(cid: CallerId): CidMessage {
  return cid.number
    ? { kind: 'sdmf-call', dateTime: cid.dateTime ?? '01010000', number: cid.number.slice(0, 10) }
    : { kind: 'sdmf-call', dateTime: cid.dateTime ?? '01010000', absent: cid.numberAbsent ?? 'O' };
}

/** Reads a caller ID out of any call message (SDMF or MDMF). Undefined for message waiting messages. */
export function callerIdFromMessage(m: CidMessage): CallerId | undefined {
  if (m.kind === 'sdmf-call') return m.number !== undefined ? { dateTime: m.dateTime, number: m.number } : { dateTime: m.dateTime, numberAbsent: m.absent };
  if (m.kind !== 'mdmf' || m.type !== CID_MDMF_CALL) return undefined;
  const out: { -readonly [K in keyof CallerId]: CallerId[K] } = {};
  for (const p of m.params) {
    const v = p.value.toString('latin1');
    if (p.type === CID_PARAM.dateTime) out.dateTime = v;
    else if (p.type === CID_PARAM.number) out.number = v;
    else if (p.type === CID_PARAM.numberAbsent && (v === 'O' || v === 'P')) out.numberAbsent = v;
    else if (p.type === CID_PARAM.name) out.name = v;
    else if (p.type === CID_PARAM.nameAbsent && (v === 'O' || v === 'P')) out.nameAbsent = v;
  }
  return out;
}

/** MDMF visual message waiting indicator (0x82 with parameter 0x0B: 0xFF on, 0x00 off). */
export function mwiToMdmf(active: boolean, messages?: number): CidMessage {
  const params: CidParam[] = [{ type: CID_PARAM.visualIndicator, value: Buffer.from([active ? 0xff : 0x00]) }];
  if (messages !== undefined) params.push({ type: CID_PARAM.messageCount, value: Buffer.from([Math.min(255, messages)]) });
  return { kind: 'mdmf', type: CID_MDMF_MWI, params };
}

/** The indicator state of a message waiting message (SDMF or MDMF), or undefined. */
export function mwiFromMessage(m: CidMessage): boolean | undefined {
  if (m.kind === 'sdmf-mwi') return m.active;
  if (m.kind === 'mdmf' && m.type === CID_MDMF_MWI) {
    const p = m.params.find((x) => x.type === CID_PARAM.visualIndicator);
    return p ? p.value[0] !== 0 : undefined;
  }
  return undefined;
}
