/**
 * RTCP compound packet codec (RFC 3550 §6): SR (200, §6.4.1), RR (201, §6.4.2), SDES (202,
 * §6.5), BYE (203, §6.6); other types (APP, feedback) are kept as raw. Validity checks of §A.2:
 * version 2, the first packet SR or RR, lengths adding up to the datagram, padding only last.
 */
import { DecodeError } from '../../shared/errors';

export interface ReportBlock {
  readonly ssrc: number;
  /** Fraction lost since the last report, 8-bit fixed point (0–255 = 0–~1). */
  readonly fractionLost: number;
  /** Cumulative packets lost, signed 24-bit. */
  readonly cumulativeLost: number;
  readonly highestSeq: number;
  /** Interarrival jitter, timestamp units. */
  readonly jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received. */
  readonly lsr: number;
  /** Delay since that SR, 1/65536 s. */
  readonly dlsr: number;
}

export type RtcpPacket =
  | { readonly type: 'sr'; readonly ssrc: number; readonly ntpSec: number; readonly ntpFrac: number; readonly rtpTimestamp: number; readonly packetCount: number; readonly octetCount: number; readonly reports: readonly ReportBlock[] }
  | { readonly type: 'rr'; readonly ssrc: number; readonly reports: readonly ReportBlock[] }
  | { readonly type: 'sdes'; readonly chunks: readonly { readonly ssrc: number; readonly items: readonly { readonly type: number; readonly text: string }[] }[] }
  | { readonly type: 'bye'; readonly ssrcs: readonly number[]; readonly reason?: string }
  | { readonly type: 'other'; readonly packetType: number; readonly count: number; readonly body: Buffer };

export const SDES_CNAME = 1;

function readBlock(b: Buffer, o: number): ReportBlock {
  const lost = b.readUIntBE(o + 5, 3);
  return {
    ssrc: b.readUInt32BE(o),
    fractionLost: b[o + 4]!,
    cumulativeLost: lost & 0x800000 ? lost - 0x1000000 : lost,
    highestSeq: b.readUInt32BE(o + 8),
    jitter: b.readUInt32BE(o + 12),
    lsr: b.readUInt32BE(o + 16),
    dlsr: b.readUInt32BE(o + 20),
  };
}

export function decodeRtcp(buf: Uint8Array): RtcpPacket[] {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: RtcpPacket[] = [];
  let o = 0;
  while (o < b.length) {
    if (b.length - o < 4) throw new DecodeError('RTCP header truncated', o);
    const v = b[o]!;
    if (v >> 6 !== 2) throw new DecodeError(`RTCP version ${v >> 6}, expected 2`, o);
    const pt = b[o + 1]!;
    const count = v & 0x1f;
    const len = (b.readUInt16BE(o + 2) + 1) * 4;
    if (o + len > b.length) throw new DecodeError('RTCP length overruns the datagram', o + 2);
    let end = o + len;
    if (v & 0x20) {
      if (end !== b.length) throw new DecodeError('RTCP padding only allowed in the last packet', o);
      const pad = b[end - 1]!;
      if (pad === 0 || pad > len - 4) throw new DecodeError('bad RTCP padding', end - 1);
      end -= pad;
    }
    if (out.length === 0 && pt !== 200 && pt !== 201) throw new DecodeError('compound RTCP must start with SR or RR', o + 1);
    const body = o + 4;
    switch (pt) {
      case 200: {
        if (end - body < 24 + 24 * count) throw new DecodeError('SR shorter than its report count', o);
        const reports = Array.from({ length: count }, (_, i) => readBlock(b, body + 24 + 24 * i));
        out.push({
          type: 'sr',
          ssrc: b.readUInt32BE(body),
          ntpSec: b.readUInt32BE(body + 4),
          ntpFrac: b.readUInt32BE(body + 8),
          rtpTimestamp: b.readUInt32BE(body + 12),
          packetCount: b.readUInt32BE(body + 16),
          octetCount: b.readUInt32BE(body + 20),
          reports,
        });
        break;
      }
      case 201: {
        if (end - body < 4 + 24 * count) throw new DecodeError('RR shorter than its report count', o);
        out.push({ type: 'rr', ssrc: b.readUInt32BE(body), reports: Array.from({ length: count }, (_, i) => readBlock(b, body + 4 + 24 * i)) });
        break;
      }
      case 202: {
        const chunks: { ssrc: number; items: { type: number; text: string }[] }[] = [];
        let p = body;
        for (let c = 0; c < count; c++) {
          if (p + 4 > end) throw new DecodeError('SDES chunk truncated', p);
          const ssrc = b.readUInt32BE(p);
          p += 4;
          const items: { type: number; text: string }[] = [];
          for (;;) {
            if (p >= end) throw new DecodeError('SDES items not terminated', p);
            const t = b[p]!;
            if (t === 0) {
              p = (p + 4) & ~3; // null item, then pad to a 32-bit boundary
              break;
            }
            if (p + 2 > end || p + 2 + b[p + 1]! > end) throw new DecodeError('SDES item overruns', p);
            items.push({ type: t, text: b.toString('utf8', p + 2, p + 2 + b[p + 1]!) });
            p += 2 + b[p + 1]!;
          }
          chunks.push({ ssrc, items });
        }
        out.push({ type: 'sdes', chunks });
        break;
      }
      case 203: {
        if (end - body < 4 * count) throw new DecodeError('BYE shorter than its SSRC count', o);
        const ssrcs = Array.from({ length: count }, (_, i) => b.readUInt32BE(body + 4 * i));
        const r = body + 4 * count;
        if (r < end) {
          const n = b[r]!;
          if (r + 1 + n > end) throw new DecodeError('BYE reason overruns', r);
          out.push({ type: 'bye', ssrcs, reason: b.toString('utf8', r + 1, r + 1 + n) });
        } else out.push({ type: 'bye', ssrcs });
        break;
      }
      default:
        out.push({ type: 'other', packetType: pt, count, body: Buffer.from(b.subarray(body, end)) });
    }
    o += len;
  }
  if (out.length === 0) throw new DecodeError('empty RTCP datagram', 0);
  return out;
}

function header(pt: number, count: number, bodyLen: number): Buffer {
  const h = Buffer.alloc(4);
  h[0] = 0x80 | count;
  h[1] = pt;
  h.writeUInt16BE((bodyLen + 4) / 4 - 1, 2);
  return h;
}

function writeBlock(r: ReportBlock): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32BE(r.ssrc >>> 0, 0);
  b[4] = r.fractionLost & 0xff;
  const lost = Math.max(-0x800000, Math.min(0x7fffff, r.cumulativeLost));
  b.writeUIntBE(lost < 0 ? lost + 0x1000000 : lost, 5, 3);
  b.writeUInt32BE(r.highestSeq >>> 0, 8);
  b.writeUInt32BE(r.jitter >>> 0, 12);
  b.writeUInt32BE(r.lsr >>> 0, 16);
  b.writeUInt32BE(r.dlsr >>> 0, 20);
  return b;
}

function encodeOne(p: RtcpPacket): Buffer {
  switch (p.type) {
    case 'sr': {
      const body = Buffer.alloc(24);
      body.writeUInt32BE(p.ssrc >>> 0, 0);
      body.writeUInt32BE(p.ntpSec >>> 0, 4);
      body.writeUInt32BE(p.ntpFrac >>> 0, 8);
      body.writeUInt32BE(p.rtpTimestamp >>> 0, 12);
      body.writeUInt32BE(p.packetCount >>> 0, 16);
      body.writeUInt32BE(p.octetCount >>> 0, 20);
      const all = Buffer.concat([body, ...p.reports.map(writeBlock)]);
      return Buffer.concat([header(200, p.reports.length, all.length), all]);
    }
    case 'rr': {
      const s = Buffer.alloc(4);
      s.writeUInt32BE(p.ssrc >>> 0);
      const all = Buffer.concat([s, ...p.reports.map(writeBlock)]);
      return Buffer.concat([header(201, p.reports.length, all.length), all]);
    }
    case 'sdes': {
      const parts: Buffer[] = [];
      for (const c of p.chunks) {
        const s = Buffer.alloc(4);
        s.writeUInt32BE(c.ssrc >>> 0);
        const items = c.items.map((i) => {
          const t = Buffer.from(i.text, 'utf8').subarray(0, 255);
          return Buffer.concat([Buffer.from([i.type, t.length]), t]);
        });
        const raw = Buffer.concat([s, ...items]);
        parts.push(raw, Buffer.alloc(4 - (raw.length % 4))); // ≥ 1 null octet, to a 32-bit boundary
      }
      const all = Buffer.concat(parts);
      return Buffer.concat([header(202, p.chunks.length, all.length), all]);
    }
    case 'bye': {
      const s = Buffer.alloc(4 * p.ssrcs.length);
      p.ssrcs.forEach((x, i) => s.writeUInt32BE(x >>> 0, 4 * i));
      let all = s;
      if (p.reason !== undefined) {
        const r = Buffer.from(p.reason, 'utf8').subarray(0, 255);
        const raw = Buffer.concat([s, Buffer.from([r.length]), r]);
        all = Buffer.concat([raw, Buffer.alloc((4 - (raw.length % 4)) % 4)]);
      }
      return Buffer.concat([header(203, p.ssrcs.length, all.length), all]);
    }
    case 'other':
      if (p.body.length % 4 !== 0) throw new RangeError('RTCP body must be a multiple of 4 bytes');
      return Buffer.concat([header(p.packetType, p.count, p.body.length), p.body]);
  }
}

/** Encodes a compound packet (the caller puts SR or RR first, RFC 3550 §6.1). */
export function encodeRtcp(packets: readonly RtcpPacket[]): Buffer {
  return Buffer.concat(packets.map(encodeOne));
}

/** NTP timestamp (RFC 3550 §4) of a Unix time in ms. */
export function ntpFromMs(ms: number): { sec: number; frac: number } {
  const sec = Math.floor(ms / 1000) + 2208988800;
  return { sec: sec >>> 0, frac: Math.floor(((ms % 1000) / 1000) * 2 ** 32) >>> 0 };
}

/** The middle 32 bits of an NTP timestamp (LSR / DLSR arithmetic, §6.4.1). */
export function ntpMiddle(sec: number, frac: number): number {
  return (((sec & 0xffff) << 16) | (frac >>> 16)) >>> 0;
}
