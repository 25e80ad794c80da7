/**
 * The FXS line's MediaSession over cpe/media's RtpSession: the RTP (and RTCP, P2392) sockets are
 * bound when the leg is created, the session is (re)built from what offer/answer agreed, and the
 * direction (hold, RFC 3264 §8.4) gates what is sent and played. The audio path reaches it
 * through `port`, a stable MediaPort that plays silence until media flows. Both directions pass a
 * fax tone detector while anyone listens (fax-tone-watch.ts), until the call is in fax pass-through.
 */
import { codecByName, IMPLEMENTED_CODECS } from '../../media/codecs/registry';
import type { DtmfDigit } from '../../media/dsp/dtmf-generator';
import { DtmfPlayer } from '../../media/dsp/dtmf-player';
import { DtmfDetector } from '../../media/dsp/dtmf-detector';
import type { JitterLength, JitterMode } from '../../media/jitter-buffer';
import type { MediaPort } from '../../media/media-port';
import { RtpSession } from '../../media/rtp/rtp-session';
import { SrtpSocket, type SrtpDropCounter } from '../../media/rtp/srtp-socket';
import { SrtpContext } from '../../media/srtp';
import type { UdpAddress, UdpSocket } from '../../media/rtp/udp-socket';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { Random } from '../../shared/random';
import type { NegotiatedMedia } from '../sdp/offer-answer';
import type { NegotiatedSrtp } from '../sdp/srtp-negotiation';
import type { MediaFactory } from '../fxs/ports';
import type { AudioSession } from './hw-line-port';
import { FaxToneWatch, type FaxToneListener } from './fax-tone-watch';

export interface RtpSettings {
  readonly jitter: { readonly mode: JitterMode; readonly length: JitterLength };
  /** P28173 / P28177. */
  readonly eventCount: number;
  readonly endCount: number;
  /** P291. */
  readonly symmetric: boolean;
  /** P2392. */
  readonly rtcp: boolean;
  readonly cname: string;
}

export interface RtpDeps {
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  bind(address: string, port: number): Promise<UdpSocket>;
  settings(): RtpSettings;
}

const FRAME = 160;
const DTMF: ReadonlySet<string> = new Set('0123456789*#ABCD'.split(''));

/** One listener on the real socket, handed to whichever RtpSession is current (sessions are rebuilt on re-INVITE). */
class SwitchableSocket implements UdpSocket {
  private handler: ((d: Buffer, from: UdpAddress) => void) | undefined;
  constructor(private readonly inner: UdpSocket) {
    inner.onMessage((d, from) => this.handler?.(d, from));
  }
  get local(): UdpAddress {
    return this.inner.local;
  }
  send(data: Uint8Array, to: UdpAddress): void {
    this.inner.send(data, to);
  }
  onMessage(handler: (data: Buffer, from: UdpAddress) => void): void {
    // a new session starts with a socket that takes any source (the last one may have pinned it)
    this.inner.pin?.(undefined);
    this.handler = handler;
  }
  pin(peer: UdpAddress | undefined): void {
    this.inner.pin?.(peer);
  }
  close(): void {
    this.inner.close();
  }
}

function sameSrtp(a: NegotiatedSrtp | undefined, b: NegotiatedSrtp | undefined): boolean {
  if (!a || !b) return a === b;
  return a.suite === b.suite && a.local.key.equals(b.local.key) && a.local.salt.equals(b.local.salt) && a.remote.key.equals(b.remote.key) && a.remote.salt.equals(b.remote.salt);
}

/** An RFC 4733 digit plays until its end packet, or until packets stop coming this long (sent every ≤ 50 ms, §2.5.1.3). */
export const EVENT_SILENCE_MS = 250;

/** How long the uplink DTMF gate keeps listening after the last digit it muted. */
const GATE_ARMED_MS = 2000;

export class RtpMediaSession implements AudioSession {
  private readonly player = new DtmfPlayer();
  private uplinkDetector: DtmfDetector | undefined;
  private muteUntil = 0;
  private gateArmedUntil = 0;
  private rfc4733Digit = false;
  private rtp: SwitchableSocket | undefined;
  private rtcp: SwitchableSocket | undefined;
  private session: RtpSession | undefined;
  private wanted: NegotiatedMedia | undefined;
  private built: NegotiatedMedia | undefined;
  private stopped = false;
  private readonly faxWatch: FaxToneWatch;
  /** Fax pass-through (V.152 voiceband data): every session from now on is built that way. */
  private passThrough = false;
  /** SRTP and SRTCP datagrams dropped: failed authentication or replay checks, or not SRTP at all. */
  readonly srtpDrops: { readonly rtp: SrtpDropCounter; readonly rtcp: SrtpDropCounter } = { rtp: { dropped: 0 }, rtcp: { dropped: 0 } };
  readonly ready: Promise<void>;
  readonly port: MediaPort;

  constructor(
    readonly localAddress: string,
    readonly localPort: number,
    private readonly deps: RtpDeps,
  ) {
    const s = deps.settings();
    this.ready = Promise.allSettled([deps.bind(localAddress, localPort), s.rtcp ? deps.bind(localAddress, localPort + 1) : Promise.resolve(undefined)]).then(
      ([rtpR, rtcpR]) => {
        const rtp = rtpR.status === 'fulfilled' ? rtpR.value : undefined;
        const rtcp = rtcpR.status === 'fulfilled' ? rtcpR.value : undefined;
        const failed = [rtpR, rtcpR].find((r): r is PromiseRejectedResult => r.status === 'rejected');
        // One port bound and the other not (or the call ended meanwhile): nothing is kept open.
        if (failed || this.stopped || !rtp) {
          rtp?.close();
          rtcp?.close();
          if (failed) deps.log.error({ port: localPort, err: String(failed.reason) }, 'cannot bind the RTP port');
          return;
        }
        this.rtp = new SwitchableSocket(rtp);
        this.rtcp = rtcp ? new SwitchableSocket(rtcp) : undefined;
        this.build();
      },
    );
    this.faxWatch = new FaxToneWatch(deps.log);
    const canSend = (): boolean => this.wanted?.direction === 'sendrecv' || this.wanted?.direction === 'sendonly';
    const canPlay = (): boolean => this.wanted?.direction === 'sendrecv' || this.wanted?.direction === 'recvonly';
    this.port = {
      readFrame: () => {
        const play = canPlay();
        let audio: Int16Array;
        if (this.session && play) {
          audio = this.session.readFrame();
          this.faxWatch.network(audio);
        } else audio = new Int16Array(FRAME);
        // A digit the far end sent out of band replaces the audio (RFC 4733 §2.5.1.2: its sender mutes it).
        return (play && this.tone()) || audio;
      },
      writeFrame: (f) => {
        if (!this.session || !canSend()) return;
        this.faxWatch.line(f);
        this.session.writeFrame(this.gate(f));
      },
    };
  }

  /** Live RTP counters (tests, status). */
  get stats(): RtpSession['stats'] | undefined {
    return this.session?.stats;
  }

  /** The RTP session now carrying the call (tests). */
  get rtpSession(): RtpSession | undefined {
    return this.session;
  }


  onFaxTone(listener: FaxToneListener): void {
    this.faxWatch.listen(listener);
  }

  /** Fax pass-through for the rest of the call: fixed jitter buffer, no PLC, CN, VAD; no DTMF muting, no tone detection. */
  faxPassThrough(): void {
    if (this.passThrough) return;
    this.passThrough = true;
    this.faxWatch.stop();
    this.uplinkDetector = undefined;
    this.muteUntil = 0;
    this.session?.setPassThrough();
  }

  update(media: NegotiatedMedia): void {
    this.wanted = media;
    this.build();
  }

  private build(): void {
    const n = this.wanted;
    if (!n || !this.rtp || this.stopped) return;
    const b = this.built;
    // new keys (RFC 4568 §7.1.4) need new contexts
    const samePeer = b !== undefined && b.remoteAddress === n.remoteAddress && b.remotePort === n.remotePort && sameSrtp(b.srtp, n.srtp);
    const same = samePeer && b.sendCodec.encoding === n.sendCodec.encoding && b.sendCodec.payloadType === n.sendCodec.payloadType;
    if (same && this.session) {
      // only telephone-event changed (a fax re-INVITE leaves it out): the stream goes on untouched
      if (b.telephoneEventPt !== n.telephoneEventPt) this.session.setEventPayloadType(n.telephoneEventPt);
      this.built = n;
      return;
    }
    const codec = codecByName(n.sendCodec.encoding);
    if (!codec) {
      this.deps.log.error({ codec: n.sendCodec.encoding }, 'negotiated codec is not implemented');
      return;
    }
    // a new codec for the same peer continues the RTP stream (same SSRC) rather than starting another
    const continues = samePeer ? this.session : undefined;
    this.session?.close('media changed', continues === undefined);
    const s = this.deps.settings();
    const remote = { address: n.remoteAddress, port: n.remotePort };
    let rtp: UdpSocket = this.rtp;
    let rtcp: UdpSocket | undefined = this.rtcp;
    if (n.srtp) {
      // one context per direction: RTP and RTCP keys both derive from its master key (RFC 3711 §4.3)
      const tx = new SrtpContext(n.srtp.suite, n.srtp.local.key, n.srtp.local.salt);
      const rx = new SrtpContext(n.srtp.suite, n.srtp.remote.key, n.srtp.remote.salt);
      rtp = new SrtpSocket(this.rtp, 'rtp', tx, rx, this.srtpDrops.rtp);
      if (this.rtcp) rtcp = new SrtpSocket(this.rtcp, 'rtcp', tx, rx, this.srtpDrops.rtcp);
    }
    this.session = new RtpSession({
      socket: rtp,
      remote,
      rtcp: rtcp ? { socket: rtcp, remote: { address: n.remoteAddress, port: n.remotePort + 1 } } : 'off',
      clock: this.deps.clock,
      random: this.deps.random,
      codec,
      payloadType: n.sendCodec.payloadType,
      ...(n.telephoneEventPt !== undefined ? { eventPayloadType: n.telephoneEventPt } : {}),
      jitter: s.jitter,
      eventCount: s.eventCount,
      endCount: s.endCount,
      cname: s.cname,
      symmetric: s.symmetric,
      passThrough: this.passThrough,
      ...(continues ? { continues } : {}),
    });
    this.session.onDigit((e) => {
      if (e.kind === 'start') {
        this.rfc4733Digit = true;
        this.player.start(e.digit, Infinity);
      } else if (this.rfc4733Digit) {
        this.rfc4733Digit = false;
        this.player.stop();
      }
    });
    this.session.start();
    this.built = n;
  }

  /** The tone of a received digit for this frame; an RFC 4733 digit whose end never came stops after EVENT_SILENCE_MS. */
  private tone(): Int16Array | undefined {
    const now = this.deps.clock.now();
    if (this.rfc4733Digit && this.session && now - this.session.lastEventAt > EVENT_SILENCE_MS) {
      this.rfc4733Digit = false;
      this.player.stop();
    }
    return this.player.frame(now);
  }

  /**
   * A digit the phone pressed went out by SIP INFO: its tone must not reach the far end in the
   * audio as well (a second, in-band copy). Audio is muted for `ms`, then for as long as a
   * detector on the phone's audio still hears a digit; the detector runs only while armed.
   */
  muteDigit(ms: number): void {
    if (this.passThrough) return;
    const now = this.deps.clock.now();
    this.muteUntil = now + ms;
    this.gateArmedUntil = now + GATE_ARMED_MS;
    this.uplinkDetector ??= new DtmfDetector();
  }

  private gate(f: Int16Array): Int16Array {
    const det = this.uplinkDetector;
    if (!det) return f;
    const now = this.deps.clock.now();
    det.push(f);
    if (now < this.muteUntil || det.digit !== undefined) {
      this.gateArmedUntil = Math.max(this.gateArmedUntil, now + GATE_ARMED_MS);
      return new Int16Array(f.length);
    }
    if (now >= this.gateArmedUntil) this.uplinkDetector = undefined;
    return f;
  }

  playDigit(digit: string, durationMs: number): void {
    const d = digit.toUpperCase();
    if (!DTMF.has(d)) return;
    this.rfc4733Digit = false;
    this.player.start(d as DtmfDigit, this.deps.clock.now() + Math.min(Math.max(durationMs, 40), 5000));
  }

  sendDigit(digit: string): void {
    if (this.session && this.wanted?.telephoneEventPt !== undefined && DTMF.has(digit)) this.session.sendDigit(digit as DtmfDigit);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.faxWatch.stop();
    this.session?.close();
    this.session = undefined;
    this.rtp?.close();
    this.rtcp?.close();
  }
}

export class RtpMediaFactory implements MediaFactory {
  constructor(private readonly deps: RtpDeps) {}
  implementedCodecs(): readonly string[] {
    return IMPLEMENTED_CODECS.filter((c) => c.kind === 'voice').map((c) => c.name);
  }
  create(address: string, port: number): RtpMediaSession {
    return new RtpMediaSession(address, port, this.deps);
  }
}
