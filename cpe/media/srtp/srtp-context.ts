/**
 * An SRTP cryptographic context (RFC 3711 §3.2) for one master key: protects what we send and
 * unprotects what we receive, RTP (§3.3) and RTCP (§3.4), with the AES-CM / HMAC-SHA1 transforms
 * of the suite. Send and receive state (ROC, s_l, SRTCP index, replay lists) are kept per SSRC,
 * so a new SSRC starts fresh. No clock, no I/O; every failure on a packet is a DecodeError.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { DecodeError } from '../../shared/errors';
import { AesCm, writeAesCmIv } from './aes-cm';
import { ReplayWindow } from './replay-window';
import { deriveSessionKeys } from './srtp-keys';
import { srtpSuite, type SrtpSuite } from './srtp-suites';

/** Session keys of one of SRTP or SRTCP, made into reusable objects once. */
interface Transform {
  readonly aes: AesCm;
  readonly salt: Buffer;
  readonly auth: KeyObject;
  readonly tagLength: number;
  /** Scratch counter block; filled and consumed within one call. */
  readonly iv: Buffer;
}

/** The highest index sent or authenticated for an SSRC: ROC and s_l (RFC 3711 §3.2.1). */
interface RtpIndexState {
  roc: number;
  seq: number;
}

interface RtpReceiveState extends RtpIndexState {
  readonly window: ReplayWindow;
}

const SRTCP_E_FLAG = 0x80000000;
const SRTCP_INDEX_MASK = 0x7fffffff;
/** The E || SRTCP index word (RFC 3711 §3.4). */
const SRTCP_INDEX_LENGTH = 4;
const RTP_HEADER = 12;
const RTCP_HEADER = 8;

/**
 * The receiver's guess of a packet's 48-bit index from its SEQ and the highest index so far,
 * ROC || s_l (RFC 3711 §3.3.1, Appendix A). May be negative (before ROC 0) or past 2^48 - 1;
 * the caller decides what that means.
 */
export function estimateIndex(roc: number, sl: number, seq: number): number {
  let v = roc;
  if (sl < 0x8000) {
    if (seq - sl > 0x8000) v = roc - 1;
  } else if (sl - 0x8000 > seq) {
    v = roc + 1;
  }
  return v * 0x10000 + seq;
}

function fail(reason: string, position?: number): never {
  throw new DecodeError(reason, position);
}

function readU32(p: Uint8Array, at: number): number {
  return ((p[at]! << 24) | (p[at + 1]! << 16) | (p[at + 2]! << 8) | p[at + 3]!) >>> 0;
}

/** Octets before the RTP payload: fixed header, CSRCs, header extension (RFC 3550 §5.1, §5.3.1). */
function rtpHeaderLength(p: Uint8Array, end: number): number {
  const b0 = p[0]!;
  if (b0 >> 6 !== 2) fail(`srtp: RTP version ${b0 >> 6}, expected 2`, 0);
  let o = RTP_HEADER + 4 * (b0 & 0x0f);
  if (b0 & 0x10) {
    if (o + 4 > end) fail('srtp: RTP header overruns the packet', RTP_HEADER);
    o += 4 + 4 * ((p[o + 2]! << 8) | p[o + 3]!);
  }
  if (o > end) fail('srtp: RTP header overruns the packet', RTP_HEADER);
  return o;
}

function makeTransform(suite: SrtpSuite, masterKey: Uint8Array, masterSalt: Uint8Array, kind: 'srtp' | 'srtcp'): Transform {
  const k = deriveSessionKeys(suite, masterKey, masterSalt, kind);
  return {
    aes: new AesCm(k.encryptionKey),
    salt: k.salt,
    auth: createSecretKey(k.authKey),
    tagLength: kind === 'srtp' ? suite.rtpTagLength : suite.rtcpTagLength,
    iv: Buffer.alloc(16),
  };
}

export class SrtpContext {
  readonly suite: SrtpSuite;
  private readonly rtp: Transform;
  private readonly rtcp: Transform;
  private readonly rtpSent = new Map<number, RtpIndexState>();
  private readonly rtpReceived = new Map<number, RtpReceiveState>();
  /** Next SRTCP index to send per SSRC. */
  private readonly rtcpSent = new Map<number, number>();
  private readonly rtcpReceived = new Map<number, ReplayWindow>();
  /** Scratch for the ROC appended to the authenticated portion (RFC 3711 §4.2). */
  private readonly rocBytes = Buffer.alloc(4);

  /**
   * `suite` is an RFC 4568 name (see isSupportedSuite); RangeError for an unsupported suite
   * or a master key or salt of the wrong length.
   */
  constructor(suite: string, masterKey: Uint8Array, masterSalt: Uint8Array) {
    this.suite = srtpSuite(suite);
    this.rtp = makeTransform(this.suite, masterKey, masterSalt, 'srtp');
    this.rtcp = makeTransform(this.suite, masterKey, masterSalt, 'srtcp');
  }

  /** An RTP packet as SRTP (RFC 3711 §3.3): payload encrypted, authentication tag appended. */
  protectRtp(packet: Uint8Array): Buffer {
    const p = packet;
    const len = p.length;
    if (len < RTP_HEADER) fail('srtp: packet too short', len);
    const hl = rtpHeaderLength(p, len);
    const ssrc = readU32(p, 8);
    const seq = (p[2]! << 8) | p[3]!;
    // §3.3.1: the sender's ROC counts SEQ wraps. Estimating from the highest index sent (as a
    // receiver would) also keeps a retransmitted older SEQ on its own ROC.
    let st = this.rtpSent.get(ssrc);
    let index = seq;
    if (!st) {
      st = { roc: 0, seq };
      this.rtpSent.set(ssrc, st);
    } else {
      index = estimateIndex(st.roc, st.seq, seq);
      if (index < 0) index = seq; // a jump back past ROC 0 can only be read as a jump forward
      if (index > st.roc * 0x10000 + st.seq) {
        st.roc = Math.floor(index / 0x10000) >>> 0;
        st.seq = seq;
      }
    }
    const roc = Math.floor(index / 0x10000) >>> 0;
    const t = this.rtp;
    const out = Buffer.allocUnsafe(len + t.tagLength);
    out.set(p.subarray(0, hl), 0);
    writeAesCmIv(t.iv, t.salt, ssrc, roc * 0x10000 + seq);
    t.aes.xor(t.iv, p, hl, len, out, hl);
    this.tag(t, out.subarray(0, len), roc).copy(out, len, 0, t.tagLength);
    return out;
  }

  /** The RTP packet inside an SRTP packet: replay check, authentication, then decryption (§3.3). */
  unprotectRtp(packet: Uint8Array): Buffer {
    const p = packet;
    const t = this.rtp;
    const len = p.length - t.tagLength; // the authenticated portion
    if (len < RTP_HEADER) fail('srtp: packet too short', p.length);
    const hl = rtpHeaderLength(p, len);
    const ssrc = readU32(p, 8);
    const seq = (p[2]! << 8) | p[3]!;
    const st = this.rtpReceived.get(ssrc);
    let index = seq; // a new SSRC starts at ROC 0 (§3.3.1)
    if (st) {
      index = estimateIndex(st.roc, st.seq, seq);
      if (index < 0) fail('srtp: packet too old');
      const verdict = st.window.check(index);
      if (verdict === 'replayed') fail('srtp: replayed packet');
      if (verdict === 'too-old') fail('srtp: packet too old');
    }
    const roc = Math.floor(index / 0x10000);
    if (roc > 0xffffffff) fail('srtp: rollover counter exhausted (the master key needs renewing)');
    // §3.3 step 4: authenticate before anything reads the payload
    if (!this.tagMatches(t, p, len, roc)) fail('srtp: authentication failed');
    const out = Buffer.allocUnsafe(len);
    out.set(p.subarray(0, hl), 0);
    writeAesCmIv(t.iv, t.salt, ssrc, index);
    t.aes.xor(t.iv, p, hl, len, out, hl);
    // §3.3.1: ROC and s_l move only once the packet is authentic
    if (!st) {
      const fresh: RtpReceiveState = { roc, seq, window: new ReplayWindow() };
      fresh.window.accept(index);
      this.rtpReceived.set(ssrc, fresh);
    } else {
      if (index > st.window.highest) {
        st.roc = roc;
        st.seq = seq;
      }
      st.window.accept(index);
    }
    return out;
  }

  /** An RTCP (compound) packet as SRTCP (RFC 3711 §3.4): encrypted from octet 8, E || index, tag. */
  protectRtcp(packet: Uint8Array): Buffer {
    const p = packet;
    const len = p.length;
    if (len < RTCP_HEADER) fail('srtp: packet too short', len);
    if (p[0]! >> 6 !== 2) fail(`srtp: RTCP version ${p[0]! >> 6}, expected 2`, 0);
    const ssrc = readU32(p, 4);
    const index = this.rtcpSent.get(ssrc) ?? 0; // §3.4: zero before the first SRTCP packet
    this.rtcpSent.set(ssrc, (index + 1) & SRTCP_INDEX_MASK);
    const t = this.rtcp;
    const out = Buffer.allocUnsafe(len + SRTCP_INDEX_LENGTH + t.tagLength);
    out.set(p.subarray(0, RTCP_HEADER), 0);
    writeAesCmIv(t.iv, t.salt, ssrc, index);
    t.aes.xor(t.iv, p, RTCP_HEADER, len, out, RTCP_HEADER);
    out.writeUInt32BE((SRTCP_E_FLAG | index) >>> 0, len);
    const authEnd = len + SRTCP_INDEX_LENGTH;
    this.tag(t, out.subarray(0, authEnd)).copy(out, authEnd, 0, t.tagLength);
    return out;
  }

  /** The RTCP packet inside an SRTCP packet: replay check on the SRTCP index, authentication, decryption. */
  unprotectRtcp(packet: Uint8Array): Buffer {
    const p = packet;
    const t = this.rtcp;
    const authEnd = p.length - t.tagLength;
    const end = authEnd - SRTCP_INDEX_LENGTH;
    if (end < RTCP_HEADER) fail('srtp: packet too short', p.length);
    if (p[0]! >> 6 !== 2) fail(`srtp: RTCP version ${p[0]! >> 6}, expected 2`, 0);
    const ssrc = readU32(p, 4);
    const word = readU32(p, end);
    const encrypted = (word & SRTCP_E_FLAG) !== 0;
    const index = word & SRTCP_INDEX_MASK;
    const window = this.rtcpReceived.get(ssrc);
    if (window) {
      const verdict = window.check(index);
      if (verdict === 'replayed') fail('srtp: replayed packet');
      if (verdict === 'too-old') fail('srtp: packet too old');
    }
    if (!this.tagMatches(t, p, authEnd)) fail('srtp: authentication failed');
    const out = Buffer.allocUnsafe(end);
    out.set(p.subarray(0, RTCP_HEADER), 0);
    if (encrypted) {
      writeAesCmIv(t.iv, t.salt, ssrc, index);
      t.aes.xor(t.iv, p, RTCP_HEADER, end, out, RTCP_HEADER);
    } else {
      out.set(p.subarray(RTCP_HEADER, end), RTCP_HEADER); // E clear: sent unencrypted, still authenticated
    }
    if (window) window.accept(index);
    else {
      const fresh = new ReplayWindow();
      fresh.accept(index);
      this.rtcpReceived.set(ssrc, fresh);
    }
    return out;
  }

  /** HMAC-SHA1 over the authenticated portion, then the ROC for SRTP (RFC 3711 §4.2); full 20 octets. */
  private tag(t: Transform, authenticated: Uint8Array, roc?: number): Buffer {
    const h = createHmac('sha1', t.auth).update(authenticated);
    if (roc !== undefined) {
      this.rocBytes.writeUInt32BE(roc >>> 0, 0);
      h.update(this.rocBytes);
    }
    return h.digest();
  }

  private tagMatches(t: Transform, p: Uint8Array, authEnd: number, roc?: number): boolean {
    const expected = this.tag(t, p.subarray(0, authEnd), roc).subarray(0, t.tagLength);
    return timingSafeEqual(expected, p.subarray(authEnd, authEnd + t.tagLength));
  }
}
