/**
 * One RTP session (RFC 3550) for one call leg over an injected UDP socket, seen by the media
 * clock as a MediaPort: writeFrame() sends 20 ms of audio (or RFC 4733 events while a digit
 * plays), readFrame() plays 20 ms out of the jitter buffer with PLC / comfort noise.
 * Input from the network never throws: malformed packets, unknown payload types, foreign SSRCs,
 * bad sequence jumps and malformed RTCP are dropped and counted in `stats`.
 */
import type { Clock, Cancel } from '../../shared/clock';
import type { Random } from '../../shared/random';
import { DecodeError } from '../../shared/errors';
import type { DtmfDigit } from '../dsp/dtmf-generator';
import type { AudioCodec, FrameEncoder } from '../codecs/registry';
import { decodeCn, describeNoise, encodeCn } from '../codecs/cn';
import { Playout } from './playout';
import { FAX_JITTER_MS, type JitterBuffer, type JitterLength, type JitterMode } from '../jitter-buffer';
import type { MediaPort } from '../media-port';
import { decodeRtp, encodeRtp, looksLikeRtcp, writeRtpHeader, type RtpPacket } from './rtp-packet';
import { decodeRtcp, encodeRtcp, ntpFromMs, ntpMiddle, type ReportBlock, type RtcpPacket, SDES_CNAME } from './rtcp-packet';
import { RtpSourceState } from './source-state';
import { TelephoneEventReceiver, TelephoneEventSender, type ReceivedEvent } from './telephone-event';
import { sameAddress, type UdpAddress, type UdpSocket } from './udp-socket';

const EMPTY = new Int16Array(0);
const NONE: readonly never[] = [];

export interface RtpSessionOptions {
  readonly socket: UdpSocket;
  readonly remote: UdpAddress;
  /** RTCP on its own socket (port + 1), multiplexed on the RTP socket (RFC 5761), or off (P2392 = 0). */
  readonly rtcp?: { readonly socket: UdpSocket; readonly remote: UdpAddress } | 'mux' | 'off';
  readonly clock: Clock;
  readonly random: Random;
  readonly codec: AudioCodec;
  /** Payload type negotiated for the codec (default its static / default type). */
  readonly payloadType?: number;
  /** RFC 4733 payload type (P79 / P779); undefined when not negotiated. */
  readonly eventPayloadType?: number;
  readonly cnPayloadType?: number;
  readonly jitter?: { readonly mode: JitterMode; readonly length: JitterLength };
  /** P28173 / P28177. */
  readonly eventCount?: number;
  readonly endCount?: number;
  readonly cname: string;
  /** P291 symmetric RTP: answer to where the peer's packets come from. */
  readonly symmetric?: boolean;
  /** A new SSRC replaces the current one only after the current one was silent this long (ms). */
  readonly ssrcSwitchMs?: number;
  /** Packet time ms (SDP a=ptime; P37 frames per TX), a multiple of 10; default 20. */
  readonly ptimeMs?: number;
  /**
   * P50 VAD (silence suppression): after 200 ms below −50 dBm0 the sender stops audio and sends
   * an RFC 3389 comfort-noise packet (payload type `cnPayloadType`, which must be negotiated),
   * repeated every 5 s while the silence lasts; speech resumes with the marker bit.
   */
  readonly vad?: boolean;
  /**
   * Fax pass-through (ITU-T V.152 voiceband data): fixed jitter buffer at FAX_JITTER_MS, no PLC,
   * no comfort noise, no VAD. setPassThrough() switches a running session.
   */
  readonly passThrough?: boolean;
  /**
   * The session this one replaces mid-call, with the same peer and RTP clock rate (a re-INVITE
   * changed the codec): its SSRC, sequence number and timestamp go on (RFC 3550 §5.1 lets the
   * payload type change within a source) and the peer's source stays accepted, so neither
   * receiver sees a new source (refused for ssrcSwitchMs, §8.2). Close it with close(reason, false).
   */
  readonly continues?: RtpSession;
}

/** VAD: silence threshold (RMS, 16-bit) ≈ −50 dBm0, hangover frames, CN refresh. */
const VAD_RMS = 32767 * 10 ** ((-50 - 3.17) / 20) / Math.SQRT2;
const VAD_HANGOVER_FRAMES = 10;
const CN_REFRESH_FRAMES = 250;

export interface RtpSessionStats {
  sent: { packets: number; octets: number; events: number; rtcp: number; cn: number };
  received: { packets: number; octets: number; events: number; rtcp: number; cn: number };
  dropped: { malformed: number; unknownPayloadType: number; ssrcMismatch: number; badSequence: number; duplicate: number; late: number; rtcpMalformed: number };
  concealedFrames: number;
}

export class RtpSession implements MediaPort {
  readonly ssrc: number;
  readonly stats: RtpSessionStats = {
    sent: { packets: 0, octets: 0, events: 0, rtcp: 0, cn: 0 },
    received: { packets: 0, octets: 0, events: 0, rtcp: 0, cn: 0 },
    dropped: { malformed: 0, unknownPayloadType: 0, ssrcMismatch: 0, badSequence: 0, duplicate: 0, late: 0, rtcpMalformed: 0 },
    concealedFrames: 0,
  };
  /** What the peer last reported about our stream (RR/SR report block for our SSRC). */
  remoteReport: ReportBlock | undefined;
  private remote: UdpAddress;
  private seq: number;
  private ts: number;
  private talkspurt = true;
  private readonly pt: number;
  private readonly encoder: FrameEncoder;
  private readonly playout: Playout;
  private readonly events: TelephoneEventSender;
  private readonly eventRx = new TelephoneEventReceiver();
  private source: RtpSourceState | undefined;
  private candidate: RtpSourceState | undefined;
  private held: RtpPacket[] = [];
  private lastRxMs = 0;
  private digitHandlers: ((e: ReceivedEvent) => void)[] = [];
  /** Clock time (ms) of the last RFC 4733 packet received: a digit whose end packets were lost still ends. */
  lastEventAt = -Infinity;
  private rtcpTimer: Cancel | undefined;
  private sentSinceReport = false;
  private lastSrTs = 0;
  private lastSrMs = 0;
  private closed = false;
  /** RTP clock units per 8 kHz sample (1, or 6 for OPUS's 48 kHz clock). */
  private readonly scale: number;
  private readonly packetSamples: number;
  private sendBuf: Int16Array = EMPTY;
  private quietFrames = 0;
  private suppressed = 0;
  /** The socket is pinned to the peer (see pin()). */
  private pinned = false;
  // Options read for every packet, held here (one object less to load per packet).
  private readonly socket: UdpSocket;
  private readonly clock: Clock;
  private readonly codec: AudioCodec;
  private eventPt: number | undefined;
  private vad: boolean;
  private readonly rtcpMux: boolean;
  private readonly symmetric: boolean;

  constructor(private readonly opts: RtpSessionOptions) {
    const prev = opts.continues && opts.continues.codec.clockRate === opts.codec.clockRate ? opts.continues : undefined;
    this.ssrc = prev?.ssrc ?? opts.random.bytes(4).readUInt32BE(0);
    this.seq = prev?.seq ?? opts.random.int(0x10000);
    this.ts = prev?.ts ?? opts.random.bytes(4).readUInt32BE(0);
    if (prev) {
      this.source = prev.source;
      this.lastRxMs = prev.lastRxMs;
    }
    this.remote = opts.remote;
    this.socket = opts.socket;
    this.clock = opts.clock;
    this.codec = opts.codec;
    this.eventPt = opts.eventPayloadType;
    this.vad = opts.vad === true && opts.cnPayloadType !== undefined;
    this.rtcpMux = opts.rtcp === 'mux';
    this.symmetric = opts.symmetric === true;
    this.pt = opts.payloadType ?? opts.codec.payloadType;
    this.encoder = opts.codec.createEncoder();
    this.scale = opts.codec.clockRate / 8000;
    const ptime = opts.ptimeMs ?? 20;
    if (!Number.isInteger(ptime / 10) || ptime < 10 || ptime > 120) throw new RangeError(`ptime ${ptime} ms: a multiple of 10 from 10 to 120`);
    this.packetSamples = ptime * 8;
    this.playout = new Playout(opts.codec, opts.jitter ?? { mode: 'adaptive', length: 'medium' }, opts.random, opts.clock, this.stats);
    this.events = new TelephoneEventSender({ eventCount: opts.eventCount, endCount: opts.endCount, clockRate: opts.codec.clockRate });
    if (opts.passThrough) this.setPassThrough();
    // Input from the network never throws out of here (the codecs throw only DecodeError, which
    // the handlers count; anything else is a bug, counted as malformed rather than a crash).
    opts.socket.onMessage((d, from) => {
      try {
        this.onDatagram(d, from);
      } catch {
        this.stats.dropped.malformed++;
      }
    });
    if (typeof opts.rtcp === 'object') {
      const rtcp = opts.rtcp;
      rtcp.socket.onMessage((d) => this.guard(() => this.onRtcp(d)));
    }
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch {
      this.stats.dropped.malformed++;
    }
  }

  /** Arms the RTCP report timer (RFC 3550 §6.2: 5 s minimum, randomised ×0.5–1.5). */
  start(): void {
    if (this.opts.rtcp === 'off' || this.rtcpTimer || this.closed) return;
    const arm = (): void => {
      this.rtcpTimer = this.clock.setTimer(5000 * (0.5 + this.opts.random.float()), () => {
        this.sendReport();
        arm();
      });
    };
    arm();
  }

  /** Fax pass-through from now on (one way): VAD off here, fixed jitter buffer and no PLC / CN in playout. */
  setPassThrough(): void {
    this.vad = false;
    this.playout.setPassThrough(FAX_JITTER_MS);
  }

  /** The RFC 4733 payload type now agreed (undefined: none); the session goes on as it is. */
  setEventPayloadType(pt: number | undefined): void {
    this.eventPt = pt;
  }

  /** Received DTMF (RFC 4733) digits. */
  onDigit(handler: (e: ReceivedEvent) => void): void {
    this.digitHandlers.push(handler);
  }

  get jitterBuffer(): JitterBuffer {
    return this.playout.jb;
  }

  /** The source currently accepted (its loss and jitter). */
  get receiveSource(): RtpSourceState | undefined {
    return this.source;
  }

  pressDigit(d: DtmfDigit): void {
    this.events.press(d);
  }
  releaseDigit(): void {
    this.events.release();
  }
  sendDigit(d: DtmfDigit, ms = 100): void {
    this.events.send(d, ms);
  }
  get sendingDigit(): boolean {
    return this.events.busy;
  }

  // --- send path ---------------------------------------------------------------------------

  writeFrame(pcm: Int16Array): void {
    if (this.closed) return;
    if (this.pinned) this.unpinIfQuiet();
    // RTP timestamp of this frame's first sample: after what is still buffered for the packet.
    const frameTs = (this.ts + this.sendBuf.length * this.scale) >>> 0;
    const ev = this.eventPt !== undefined ? this.events.tick(frameTs) : NONE;
    if (ev.length > 0) {
      // RFC 4733 §2.5.1.2: the event replaces the audio; buffered audio is dropped.
      for (const p of ev) this.sendPacket(this.eventPt!, p.marker, p.timestamp, p.payload);
      this.stats.sent.events += ev.length;
      this.sendBuf = EMPTY;
      this.ts = (frameTs + pcm.length * this.scale) >>> 0;
      this.talkspurt = true; // audio after an event starts a new talkspurt
      return;
    }
    if (this.vad && this.silent(pcm)) {
      // RFC 3389 §4: one CN packet at the start of silence, refreshed now and then; no audio.
      if (this.suppressed % CN_REFRESH_FRAMES === 0) {
        this.sendPacket(this.opts.cnPayloadType!, false, frameTs, encodeCn(describeNoise(pcm, 0)));
        this.stats.sent.cn++;
      }
      this.suppressed++;
      this.sendBuf = EMPTY;
      this.ts = (frameTs + pcm.length * this.scale) >>> 0;
      this.talkspurt = true;
      return;
    }
    this.suppressed = 0;
    let buf = pcm;
    if (this.sendBuf.length > 0) {
      buf = new Int16Array(this.sendBuf.length + pcm.length);
      buf.set(this.sendBuf);
      buf.set(pcm, this.sendBuf.length);
    }
    let o = 0;
    while (buf.length - o >= this.packetSamples) {
      const chunk = o === 0 && buf.length === this.packetSamples ? buf : buf.subarray(o, o + this.packetSamples);
      if (this.encoder.encodeInto) this.sendAudio(chunk);
      else this.sendPacket(this.pt, this.talkspurt, this.ts, this.encoder.encode(chunk));
      this.talkspurt = false;
      this.ts = (this.ts + this.packetSamples * this.scale) >>> 0;
      o += this.packetSamples;
    }
    this.sendBuf = o === buf.length ? EMPTY : buf.slice(o);
  }

  /** VAD decision with hangover: true once VAD_HANGOVER_FRAMES quiet frames in a row were seen. */
  private silent(pcm: Int16Array): boolean {
    let e = 0;
    for (let i = 0; i < pcm.length; i++) e += pcm[i]! * pcm[i]!;
    if (Math.sqrt(e / pcm.length) < VAD_RMS) this.quietFrames++;
    else this.quietFrames = 0;
    return this.quietFrames > VAD_HANGOVER_FRAMES;
  }

  private sendPacket(pt: number, marker: boolean, timestamp: number, payload: Uint8Array): void {
    this.transmit(encodeRtp({ payloadType: pt, marker, sequenceNumber: this.seq, timestamp, ssrc: this.ssrc, payload }), payload.length);
  }

  /** One audio packet from a codec that encodes straight into the packet (G.711): no payload copy. */
  private sendAudio(pcm: Int16Array): void {
    const pkt = Buffer.allocUnsafe(12 + pcm.length);
    writeRtpHeader(pkt, this.talkspurt, this.pt, this.seq, this.ts, this.ssrc);
    this.encoder.encodeInto!(pcm, pkt, 12);
    this.transmit(pkt, pcm.length);
  }

  private transmit(pkt: Buffer, payloadLength: number): void {
    this.seq = (this.seq + 1) & 0xffff;
    this.socket.send(pkt, this.remote);
    this.stats.sent.packets++;
    this.stats.sent.octets += payloadLength;
    this.sentSinceReport = true;
  }

  // --- receive path ------------------------------------------------------------------------

  private onDatagram(d: Buffer, from: UdpAddress): void {
    if (this.closed) return;
    if (this.rtcpMux && looksLikeRtcp(d)) return this.onRtcp(d);
    let pkt: RtpPacket;
    try {
      pkt = decodeRtp(d);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      this.stats.dropped.malformed++;
      return;
    }
    const now = this.clock.now();
    if (!this.source || pkt.ssrc !== this.source.ssrc) {
      if (!this.acceptSource(pkt, now)) return;
    } else {
      const v = this.source.updateSeq(pkt.sequenceNumber);
      if (v === 'bad-jump') return void this.stats.dropped.badSequence++;
      if (v === 'duplicate-or-late') return void this.stats.dropped.duplicate++;
    }
    if (this.symmetric) this.remote = from;
    this.lastRxMs = now;
    if (!this.pinned && sameAddress(from, this.remote)) this.pin();
    if (this.held.length > 0) {
      const held = this.held;
      this.held = [];
      for (const p of held) this.dispatch(p, now);
    }
    this.dispatch(pkt, now);
  }

  /** RFC 3550 §A.1 probation for a new SSRC; a second source is refused while the first is live. */
  private acceptSource(pkt: RtpPacket, now: number): boolean {
    if (this.source && now - this.lastRxMs < (this.opts.ssrcSwitchMs ?? 500)) {
      this.stats.dropped.ssrcMismatch++;
      return false;
    }
    if (!this.candidate || this.candidate.ssrc !== pkt.ssrc) {
      this.candidate = new RtpSourceState(pkt.ssrc, pkt.sequenceNumber);
      this.held = [];
    }
    const v = this.candidate.updateSeq(pkt.sequenceNumber);
    if (v === 'probation') {
      this.held = [pkt];
      return false;
    }
    // Validated (a switch happens only after the old source fell silent). The held probation
    // packet is played but, as in §A.1, not counted: base_seq starts at this packet.
    this.source = this.candidate;
    this.candidate = undefined;
    return true;
  }

  private dispatch(pkt: RtpPacket, now: number): void {
    const src = this.source!;
    this.stats.received.packets++;
    this.stats.received.octets += pkt.payload.length;
    if (pkt.payloadType === this.pt) {
      const arrival = Math.round((now * this.codec.clockRate) / 1000);
      let samples: number;
      try {
        samples = this.codec.samplesIn(pkt.payload);
      } catch {
        this.stats.dropped.malformed++;
        return;
      }
      src.updateJitter(pkt.timestamp, arrival);
      const r = this.playout.put({ timestamp: pkt.timestamp, marker: pkt.marker, payloadType: pkt.payloadType, payload: pkt.payload, samples }, arrival);
      if (r === 'late') this.stats.dropped.late++;
      else if (r === 'duplicate') this.stats.dropped.duplicate++;
    } else if (this.eventPt !== undefined && pkt.payloadType === this.eventPt) {
      // RFC 4733 §2.5.1.2: the sender stops audio while the event lasts; do not conceal that gap.
      this.playout.eventSeen(now);
      this.lastEventAt = now;
      for (const e of this.eventRx.receive(pkt.timestamp, pkt.payload)) {
        this.stats.received.events++;
        for (const h of this.digitHandlers) h(e);
      }
    } else if (pkt.payloadType === (this.opts.cnPayloadType ?? 13)) {
      try {
        this.playout.comfortNoise(pkt.timestamp, decodeCn(pkt.payload));
        this.stats.received.cn++;
      } catch {
        this.stats.dropped.malformed++;
      }
    } else {
      this.stats.dropped.unknownPayloadType++;
    }
  }

  readFrame(): Int16Array {
    if (this.pinned) this.unpinIfQuiet();
    return this.playout.read();
  }

  // --- socket pinning ----------------------------------------------------------------------
  // A peer whose packets come from the very address we send to (the SDP one, or the one
  // symmetric RTP latched) is pinned: the socket is connected to it, which spares the kernel a
  // route lookup per packet sent. A connected socket drops other sources, so the pin is released
  // as soon as the peer has been silent for the SSRC switch time (the same rule that lets a new
  // source in, RFC 3550 §8.2) and on close; a peer behind a NAT (other source) is never pinned.

  private pin(): void {
    if (!this.socket.pin) return;
    this.socket.pin(this.remote);
    this.pinned = true;
  }

  private unpinIfQuiet(): void {
    if (this.clock.now() - this.lastRxMs < (this.opts.ssrcSwitchMs ?? 500)) return;
    this.socket.pin!(undefined);
    this.pinned = false;
  }

  // --- RTCP --------------------------------------------------------------------------------

  private onRtcp(d: Buffer): void {
    if (this.closed) return;
    let pkts: RtcpPacket[];
    try {
      pkts = decodeRtcp(d);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      this.stats.dropped.rtcpMalformed++;
      return;
    }
    this.stats.received.rtcp++;
    const now = this.clock.now();
    for (const p of pkts) {
      if (p.type === 'sr' && this.source && p.ssrc === this.source.ssrc) this.source.lastSr = { middle: ntpMiddle(p.ntpSec, p.ntpFrac), arrivalMs: now };
      if (p.type === 'sr' || p.type === 'rr') for (const b of p.reports) if (b.ssrc === this.ssrc) this.remoteReport = b;
    }
  }

  /** Builds the compound report due now (SR when we sent since the last one, else RR; + SDES CNAME). */
  buildReport(): Buffer {
    const now = this.clock.now();
    const reports = this.source ? [this.source.reportBlock(now)] : [];
    const first: RtcpPacket = this.sentSinceReport
      ? (() => {
          const ntp = ntpFromMs(now);
          this.lastSrMs = now;
          this.lastSrTs = this.ts;
          return { type: 'sr', ssrc: this.ssrc, ntpSec: ntp.sec, ntpFrac: ntp.frac, rtpTimestamp: this.ts, packetCount: this.stats.sent.packets, octetCount: this.stats.sent.octets, reports } as const;
        })()
      : { type: 'rr', ssrc: this.ssrc, reports };
    this.sentSinceReport = false;
    return encodeRtcp([first, { type: 'sdes', chunks: [{ ssrc: this.ssrc, items: [{ type: SDES_CNAME, text: this.opts.cname }] }] }]);
  }

  private sendReport(extra?: RtcpPacket): void {
    const rtcp = this.opts.rtcp;
    if (rtcp === 'off') return;
    let pkt = this.buildReport();
    if (extra) pkt = Buffer.concat([pkt, encodeRtcp([extra])]);
    if (rtcp === 'mux' || rtcp === undefined) {
      if (rtcp === 'mux') this.socket.send(pkt, this.remote);
    } else rtcp.socket.send(pkt, rtcp.remote);
    if (rtcp !== undefined) this.stats.sent.rtcp++;
  }

  /** Stops the session: BYE (RFC 3550 §6.6; not when a session `continues` it), timers cancelled. Sockets belong to the caller. */
  close(reason = 'call ended', bye = true): void {
    if (this.closed) return;
    this.rtcpTimer?.();
    this.rtcpTimer = undefined;
    if (bye && this.opts.rtcp !== undefined && this.opts.rtcp !== 'off') this.sendReport({ type: 'bye', ssrcs: [this.ssrc], reason });
    this.closed = true;
    if (this.pinned) this.socket.pin!(undefined);
    this.pinned = false;
    this.encoder.close?.();
    this.playout.close();
  }

  /** RTP timestamp and wall clock of our last SR (for tests and status). */
  get lastSenderReport(): { rtpTimestamp: number; ms: number } {
    return { rtpTimestamp: this.lastSrTs, ms: this.lastSrMs };
  }
}
