/** RTP fixed header codec (RFC 3550 §5.1) with the validity checks of §A.1. Pure. */
import { DecodeError } from '../../shared/errors';

export interface RtpHeaderExtension {
  readonly profile: number;
  readonly data: Buffer;
}

export interface RtpPacket {
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs: readonly number[];
  readonly extension?: RtpHeaderExtension;
  readonly payload: Buffer;
  /** Padding octets that followed the payload (0 when P was clear). */
  readonly padding: number;
}

const NO_CSRCS: readonly number[] = Object.freeze([]);

export function decodeRtp(buf: Uint8Array): RtpPacket {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 12) throw new DecodeError('RTP packet shorter than the 12-byte header', b.length);
  const v = b[0]!;
  if (v >> 6 !== 2) throw new DecodeError(`RTP version ${v >> 6}, expected 2`, 0);
  const m = b[1]!;
  const pt = m & 0x7f;
  // §A.1: payload types 72-76 collide with RTCP SR/RR/SDES/BYE/APP when the marker is set.
  if (pt >= 72 && pt <= 76) throw new DecodeError(`payload type ${pt} is reserved (RTCP conflict)`, 1);
  const cc = v & 0x0f;
  let o = 12 + 4 * cc;
  if (b.length < o) throw new DecodeError('CSRC list overruns the packet', 12);
  const csrcs: readonly number[] = cc === 0 ? NO_CSRCS : Array.from({ length: cc }, (_, i) => b.readUInt32BE(12 + 4 * i));
  let extension: RtpHeaderExtension | undefined;
  if (v & 0x10) {
    if (b.length < o + 4) throw new DecodeError('header extension overruns the packet', o);
    const profile = b.readUInt16BE(o);
    const words = b.readUInt16BE(o + 2);
    if (b.length < o + 4 + 4 * words) throw new DecodeError('header extension overruns the packet', o);
    extension = { profile, data: b.subarray(o + 4, o + 4 + 4 * words) };
    o += 4 + 4 * words;
  }
  let end = b.length;
  let padding = 0;
  if (v & 0x20) {
    padding = b[b.length - 1]!;
    if (padding === 0 || o + padding > b.length) throw new DecodeError(`bad padding count ${padding}`, b.length - 1);
    end -= padding;
  }
  const pkt: RtpPacket = {
    marker: (m & 0x80) !== 0,
    payloadType: pt,
    sequenceNumber: b.readUInt16BE(2),
    timestamp: b.readUInt32BE(4),
    ssrc: b.readUInt32BE(8),
    csrcs,
    payload: b.subarray(o, end),
    padding,
  };
  return extension ? { ...pkt, extension } : pkt;
}

export interface RtpPacketInit {
  readonly marker?: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs?: readonly number[];
  readonly extension?: RtpHeaderExtension;
  readonly payload: Uint8Array;
  readonly padding?: number;
}

export function encodeRtp(p: RtpPacketInit): Buffer {
  const csrcs = p.csrcs ?? [];
  if (csrcs.length > 15) throw new RangeError('at most 15 CSRCs');
  if (p.payloadType < 0 || p.payloadType > 127) throw new RangeError(`payload type ${p.payloadType}`);
  const ext = p.extension;
  if (ext && ext.data.length % 4 !== 0) throw new RangeError('header extension length must be a multiple of 4');
  const pad = p.padding ?? 0;
  const head = 12 + 4 * csrcs.length + (ext ? 4 + ext.data.length : 0);
  const b = Buffer.allocUnsafe(head + p.payload.length + pad); // every byte is written below
  writeRtpHeader(b, p.marker ?? false, p.payloadType, p.sequenceNumber, p.timestamp, p.ssrc);
  b[0] = 0x80 | (pad ? 0x20 : 0) | (ext ? 0x10 : 0) | csrcs.length;
  for (let i = 0; i < csrcs.length; i++) b.writeUInt32BE(csrcs[i]! >>> 0, 12 + 4 * i);
  let o = 12 + 4 * csrcs.length;
  if (ext) {
    b.writeUInt16BE(ext.profile, o);
    b.writeUInt16BE(ext.data.length / 4, o + 2);
    Buffer.from(ext.data).copy(b, o + 4);
    o += 4 + ext.data.length;
  }
  b.set(p.payload, o);
  if (pad) {
    b.fill(0, o + p.payload.length);
    b[b.length - 1] = pad;
  }
  return b;
}

/**
 * The 12-byte fixed header (V=2, no padding, extension or CSRC) at the start of `b`, for a
 * sender that writes its payload after it itself.
 */
export function writeRtpHeader(b: Uint8Array, marker: boolean, payloadType: number, sequenceNumber: number, timestamp: number, ssrc: number): void {
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | payloadType;
  b[2] = (sequenceNumber >>> 8) & 0xff;
  b[3] = sequenceNumber & 0xff;
  b[4] = timestamp >>> 24;
  b[5] = (timestamp >>> 16) & 0xff;
  b[6] = (timestamp >>> 8) & 0xff;
  b[7] = timestamp & 0xff;
  b[8] = ssrc >>> 24;
  b[9] = (ssrc >>> 16) & 0xff;
  b[10] = (ssrc >>> 8) & 0xff;
  b[11] = ssrc & 0xff;
}

/** True when the first bytes look like RTCP (RFC 5761 §4: PT 192-223 in the second octet), for demultiplexing. */
export function looksLikeRtcp(b: Uint8Array): boolean {
  return b.length >= 2 && b[1]! >= 192 && b[1]! <= 223;
}
